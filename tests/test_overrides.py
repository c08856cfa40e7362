"""Overrides: the reviewer's "this change is wrong" survives to the next run."""

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleanarticle import clean, restore
from cleanarticle.edits import changes_from_jsonl
from cleanarticle.overrides import Override, Overrides, OverridesError, doc_keys, dumps, load
from cleanarticle.review.load import attribution

from _reviewdata import ARTICLE, pipeline, write_outputs

ROOT = Path(__file__).resolve().parent.parent


def _one(**kw):
    return Overrides([Override(**kw)])


def test_a_marked_removal_is_not_made_again_and_is_recorded():
    pipe = pipeline()
    first = pipe.run(ARTICLE, metadata={"source": "in/a.txt"})
    gone = next(c for c in first.changes if attribution(c)[1] == "newsletter")
    assert "Subscribe to our newsletter" not in first.text
    fname, rule, _ = attribution(gone)
    ov = _one(doc="a", filter=fname, rule=rule, before=gone.before, start=gone.start)
    again = pipe.run(ARTICLE, metadata={"source": "in/a.txt"}, overrides=ov)
    assert "Subscribe to our newsletter for daily updates\n" in again.text
    assert not any(attribution(c)[1] == "newsletter" for c in again.changes)
    # everything else is still done, and the log still rebuilds the input
    rules = lambda r: {attribution(c)[:2] for c in r.changes}  # noqa: E731
    assert rules(first) - {("boilerplate", "newsletter")} == rules(again)
    assert restore(again.text, again.changes) == ARTICLE
    (rec,) = again.metadata["overrides_applied"]
    assert (rec["filter"], rec["rule"], rec["before"]) == ("boilerplate", "newsletter", gone.before)
    assert gone.start <= rec["start"] < gone.end


def test_overrides_only_touch_their_document():
    pipe = pipeline()
    ov = _one(doc="a", filter="typos", rule="misspelling", before="teh")
    other = pipe.run(ARTICLE, metadata={"source": "in/b.txt"}, overrides=ov)
    assert "teh town" not in other.text and "overrides_applied" not in other.metadata
    mine = pipe.run(ARTICLE, metadata={"source": "in/a.txt"}, overrides=ov)
    assert "teh town" in mine.text and "receive" in mine.text


def test_an_override_without_doc_applies_everywhere():
    ov = Overrides.from_toml('[[override]]\nfilter = "typos"\nrule = "misspelling"\nbefore = "teh"\n')
    r = pipeline().run(ARTICLE, metadata={"source": "x/whatever.html"}, overrides=ov)
    assert "teh town" in r.text


def test_before_is_compared_with_whitespace_collapsed():
    """The log shows the original text; an earlier filter may have changed spaces in it."""
    text = "Intro line here.\nSubscribe   now   to  the list\nMore text.\n"
    pipe = pipeline()
    first = pipe.run(text, metadata={"id": "d"})
    c = next(c for c in first.changes if attribution(c)[1] == "newsletter")
    assert c.filter == "whitespace"  # the final whitespace pass merged into the removal
    assert "Subscribe   now" in c.before  # the log shows the original spacing
    again = pipe.run(text, metadata={"id": "d"},
                     overrides=_one(doc="d", filter="boilerplate", rule="newsletter", before=c.before))
    # the line is kept, and whitespace still made it canonical
    assert again.text == "Intro line here.\n\nSubscribe now to the list\n\nMore text.\n"


def test_start_picks_one_of_identical_candidates():
    text = "a teh b\n\nc teh d\n"
    pipe = pipeline()
    first = pipe.run(text, metadata={"id": "d"})
    second_fix = [c for c in first.changes if c.rule == "misspelling"][1]
    r = pipe.run(text, metadata={"id": "d"}, overrides=_one(
        doc="d", filter="typos", rule="misspelling", before="teh", start=second_fix.start))
    assert r.text == "a the b\n\nc teh d\n"
    r = pipe.run(text, metadata={"id": "d"}, overrides=_one(doc="d", filter="typos", rule="misspelling",
                                                            before="teh"))
    assert r.text == "a teh b\n\nc teh d\n"


def test_start_is_mapped_through_earlier_changes():
    # whitespace shortens the text before the second candidate: offsets differ from the original
    text = "x      teh y\n\n\n\n\nz teh w\n"
    first = pipeline().run(text, metadata={"id": "d"})
    fixes = [c for c in first.changes if c.rule == "misspelling"]
    r = pipeline().run(text, metadata={"id": "d"}, overrides=_one(
        doc="d", filter="typos", rule="misspelling", before="teh", start=fixes[1].start))
    assert r.text == "x the y\n\nz teh w\n"


def test_a_dropped_edit_lets_a_smaller_one_inside_it_apply():
    """Overriding a line removal must not also cancel the word fix it had won against."""
    from cleanarticle.edits import Edit
    from cleanarticle.pipeline import Pipeline

    class LineAndWord:
        name = "boilerplate"

        def propose(self, text, doc):
            i = text.index("Subscribe")
            yield Edit(i, text.index("\n", i) + 1, "", "newsletter", "newsletter line")
            j = text.index("teh")
            yield Edit(j, j + 3, "the", "misspelling", "typo")

    text = "Body.\nSubscribe: teh best offers\nEnd.\n"
    pipe = Pipeline([LineAndWord()])
    assert pipe.run(text).text == "Body.\nEnd.\n"  # the longer span wins the conflict
    r = pipe.run(text, metadata={"id": "d"}, overrides=_one(
        doc="d", filter="boilerplate", rule="newsletter", before="Subscribe: teh best offers\n"))
    assert r.text == "Body.\nSubscribe: the best offers\nEnd.\n"
    assert restore(r.text, r.changes) == text


def test_doc_keys_accept_output_names_and_source_paths():
    keys = doc_keys({"source": "corpus/news/sub/art.html.gz"})
    assert {"sub/art", "art", "news/sub/art", "corpus/news/sub/art", "art.html.gz"} <= keys
    assert "ub/art" not in keys and "news" not in keys
    assert "x" in doc_keys({"id": "x"})


def test_toml_round_trip_of_awkward_text():
    items = [Override("boilerplate", "newsletter", 'He said "hi"\\\n\t\r\x00\x7f\u2028 é 😀',
                      doc='dir/na"me', start=7, after="")]
    back = Overrides.from_toml(dumps(items)).items
    assert back == tuple(items)


@given(st.text(), st.text(min_size=1), st.integers(0, 10**9))
def test_toml_round_trip_property(before, doc, start):
    o = Override("f", "r", before, doc=doc if doc != "*" else "d", start=start)
    (back,) = Overrides.from_toml(dumps([o])).items
    assert back == o


@pytest.mark.parametrize("bad, message", [
    ("[[override]]\nrule = 'x'\nbefore = 'y'\n", "missing or non-string filter"),
    ("override = 3\n", "array of tables"),
    ("[[override]\n", "not valid TOML"),
    ("[[override]]\nfilter='a'\nrule='b'\nbefore='c'\nstart=-1\n", "start must be"),
])
def test_bad_files_are_clear_errors(bad, message):
    with pytest.raises(OverridesError, match=message):
        Overrides.from_toml(bad)


def test_overrides_keep_the_run_deterministic_and_idempotent():
    ov = _one(filter="typos", rule="misspelling", before="recieve")
    a = pipeline().run(ARTICLE, overrides=ov)
    b = pipeline().run(ARTICLE, overrides=ov)
    assert (a.text, a.changes) == (b.text, b.changes)
    assert pipeline().run(a.text, overrides=ov).text == a.text
    assert clean(clean("x  y").text).text == clean("x  y").text


def _cli(*args, cwd=None):
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "cleanarticle", *map(str, args)], capture_output=True,
                          env=env, timeout=300, cwd=cwd)


def test_cli_clean_overrides_round_trip_without_a_browser(tmp_path):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "a.txt").write_text("Two  spaces here.\nAnd  here.\n", encoding="utf-8")
    (src / "b.txt").write_text("Other  doc.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert _cli("clean", src, "-o", out).returncode == 0
    log = changes_from_jsonl((out / "sub" / "a.changes.jsonl").read_text(encoding="utf-8"))
    first = log[0]
    ov = tmp_path / "ov.toml"
    ov.write_text(dumps([Override(first.filter, first.rule, first.before, doc="sub/a", start=first.start)]),
                  encoding="utf-8")
    out2 = tmp_path / "out2"
    r = _cli("clean", src, "-o", out2, "--overrides", ov)
    assert r.returncode == 0, r.stderr
    assert (out2 / "sub" / "a.txt").read_text(encoding="utf-8") == "Two  spaces here.\nAnd here.\n"
    assert (out2 / "b.txt").read_text(encoding="utf-8") == "Other doc.\n"


def test_cli_rejects_a_bad_overrides_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[[override]]\nfilter = 1\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("x\n", encoding="utf-8")
    r = _cli("clean", tmp_path / "a.txt", "-o", tmp_path / "o", "--overrides", bad)
    assert r.returncode == 2 and b"--overrides" in r.stderr and b"Traceback" not in r.stderr
    r = _cli("clean", tmp_path / "a.txt", "-o", tmp_path / "o", "--overrides", tmp_path / "missing.toml")
    assert r.returncode == 2 and b"cannot read" in r.stderr


def test_load_reads_a_file(tmp_path):
    p = tmp_path / "o.toml"
    p.write_text(dumps([Override("a", "b", "c")]), encoding="utf-8")
    assert len(load(p)) == 1 and tomllib.loads(p.read_text())["version"] == 1


# ------------------------------------------------------------------ the full round trip, in a browser

def test_round_trip_through_the_page_in_a_browser(tmp_path):
    """Clean, review in Chromium, mark a change as wrong, export, re-clean: the change is gone."""
    import _browser
    from cleanarticle.review.page import write_page

    out = tmp_path / "out"
    docs = {"news/rivers": ARTICLE, "other": "Nothing teh same.\n"}
    first = write_outputs(out, docs)
    page = tmp_path / "review.html"
    write_page([out], page)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    drv = _browser.start(downloads)
    try:
        _browser.open_page(drv, page)
        drv.execute_script("""
            const row = [...document.querySelectorAll('.row')].find(r => r.textContent.includes('news/rivers'));
            row.click();""")
        # walk the changes with the keyboard until the newsletter removal is current, then mark it
        from selenium.webdriver.common.by import By
        body = drv.find_element(By.TAG_NAME, "body")
        for _ in range(20):
            body.send_keys("n")
            line = drv.execute_script("return document.querySelector('.cur-line').textContent")
            if "boilerplate/newsletter" in line:
                break
        else:
            raise AssertionError("never reached the newsletter removal with 'n'")
        body.send_keys("x")
        assert drv.execute_script("return document.getElementById('marked-count').textContent") == "1"
        drv.find_element(By.ID, "export").click()
        text = _browser.wait(drv, "return document.getElementById('overrides-text').value")
        saved = _browser.wait_for_file(downloads / "overrides.toml")
        assert saved == text
    finally:
        drv.quit()
    ov = Overrides.from_toml(saved)
    (o,) = ov.items
    assert (o.doc, o.filter, o.rule) == ("news/rivers", "boilerplate", "newsletter")
    assert o.before == "Subscribe to our newsletter for daily updates\n"
    # the next run, with the exported file, keeps that line and changes nothing else
    for name, text_in in docs.items():
        again = pipeline().run(text_in, metadata={"source": f"in/{name}.txt"}, overrides=ov)
        if name == "news/rivers":
            assert "Subscribe to our newsletter for daily updates\n" in again.text
            assert len(again.changes) == len(first[name].changes) - 1
        else:
            assert again.text == first[name].text
