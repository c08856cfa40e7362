"""The HTML review page as a file: self-contained, escaped, deterministic, strict CSP."""

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from cleanarticle.review.load import load_outputs
from cleanarticle.review.page import build_page, page_data, write_page

from _reviewdata import ARTICLE, EVIL, write_outputs

ROOT = Path(__file__).resolve().parent.parent


def _page(tmp_path, docs, **kw):
    write_outputs(tmp_path / "out", docs)
    return build_page(load_outputs([tmp_path / "out"]), **kw)


def _data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="review-data">(.*?)</script>', page, re.S)
    return json.loads(m.group(1))


def test_the_page_is_one_self_contained_file(tmp_path):
    page = _page(tmp_path, {"a": ARTICLE})
    assert page.startswith("<!DOCTYPE html>")
    markup = re.sub(r"<script>.*?</script>", "", page, flags=re.S)
    assert not re.search(r"\b(src|href)\s*=", markup)  # nothing to fetch
    assert "<link" not in page and "http://" not in page and "https://" not in page
    assert "@import" not in page and "url(" not in page
    assert page.count("<script") == 2 and page.count("<style") == 1


def test_csp_is_strict_and_allows_exactly_the_inline_script_and_style(tmp_path):
    page = _page(tmp_path, {"a": ARTICLE})
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page).group(1)
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    script = re.search(r"<script>(.*?)</script>", page, re.S).group(1)
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)

    def h(s):
        return "sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()

    assert f"script-src '{h(script)}'" in csp and f"style-src '{h(style)}'" in csp


def test_document_text_is_data_never_markup(tmp_path):
    page = _page(tmp_path, {"evil": EVIL, "</script><script>alert(1)</script>": "x  y\n"})
    # the only tags in the page are the template's
    assert "window.__pwned" in page
    for bad in ("<script>window", "<img", "</textarea> of", 'href="javascript', "<b>now", "<!-- x -->"):
        assert bad not in page
    assert page.count("</script>") == 2 and page.count("</textarea>") == 1
    data = _data(page)
    texts = {d["id"]: d for d in data["docs"]}
    assert "<script>window.__pwned = 1</script>" in texts["evil"]["t"]
    assert "</script><script>alert(1)</script>" in texts  # ids are data too
    script = re.search(r"<script>(.*?)</script>", page, re.S).group(1)
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script and "eval(" not in script


def test_same_outputs_give_a_byte_identical_page(tmp_path):
    a = _page(tmp_path / "1", {"a": ARTICLE, "b": EVIL})
    b = _page(tmp_path / "2", {"a": ARTICLE, "b": EVIL})
    assert a == b


def test_data_has_shares_flags_and_interned_tables(tmp_path):
    write_outputs(tmp_path, {"keep": ARTICLE, "gone": "Subscribe now\nSign up today for more\nShort.\n"})
    docs = load_outputs([tmp_path])
    data = page_data(docs)
    by = {d["id"]: d for d in data["docs"]}
    assert by["gone"]["flag"] and not by["keep"]["flag"]
    assert by["gone"]["wr"] == 7 and by["gone"]["w"] == 8
    assert set(data["filters"]) == {"boilerplate", "typos", "whitespace"}
    c = by["keep"]["c"][0]
    assert data["filters"][c[2]] and data["rules"][c[3]] and data["reasons"][c[4]]
    # out offsets and before let the page rebuild the original
    from cleanarticle import restore
    from cleanarticle.edits import Change

    for d in data["docs"]:
        changes = [Change("f", "r", x[6], x[7], x[5], d["t"][x[0]:x[1]], "", x[0], x[1]) for x in d["c"]]
        src = ARTICLE if d["id"] == "keep" else "Subscribe now\nSign up today for more\nShort.\n"
        assert restore(d["t"], changes) == src
    assert not page_data(docs, flag_share=0.95)["docs"][0]["flag"]
    assert page_data(docs, flagged=["keep"])["docs"][1]["flag"]


def test_merged_changes_are_shown_under_the_deciding_filter(tmp_path):
    write_outputs(tmp_path, {"a": "Intro.\nSubscribe   now\nEnd.\n"})
    data = page_data(load_outputs([tmp_path]))
    (d,) = data["docs"]
    names = [(data["filters"][c[2]], data["rules"][c[3]]) for c in d["c"]]
    assert ("boilerplate", "newsletter") in names
    merged = next(c for c in d["c"] if data["rules"][c[3]] == "newsletter")
    assert "whitespace/blank-lines" in merged[8] or any("whitespace" in h for h in merged[8])


def _cli(*args):
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "cleanarticle", *map(str, args)], capture_output=True,
                          env=env, timeout=300)


def test_cli_review_and_clean_report(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(EVIL, encoding="utf-8")
    (src / "b.txt").write_text("Two  spaces.\n", encoding="utf-8")
    out = tmp_path / "out"
    r = _cli("clean", src, "-o", out, "--report", tmp_path / "report.html")
    assert r.returncode == 0, r.stderr
    assert b"review page of 2 document(s)" in r.stderr
    report = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert [d["id"] for d in _data(report)["docs"]] == ["a", "b"]
    r = _cli("review", out, "-o", tmp_path / "again.html", "--title", "Run <1>")
    assert r.returncode == 0, r.stderr
    again = (tmp_path / "again.html").read_text(encoding="utf-8")
    assert "<title>Run &lt;1&gt;</title>" in again
    assert _data(again)["docs"] == _data(report)["docs"]
    r = _cli("review", tmp_path / "nowhere", "-o", tmp_path / "x.html")
    assert r.returncode == 2 and b"no such file" in r.stderr and not (tmp_path / "x.html").exists()
    r = _cli("clean", "-", "--report", tmp_path / "y.html")
    assert r.returncode == 2


def test_write_page_counts(tmp_path):
    write_outputs(tmp_path / "o", {"a": ARTICLE})
    n, k = write_page([tmp_path / "o"], tmp_path / "p.html")
    assert n == 1 and k == len(load_outputs([tmp_path / "o"])[0].changes)
