"""``cleanarticle diff``: inline marks, --stat, --format unified, colour rules."""

import io
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanarticle.review.diff import render_inline, run, stat_table, unified_diff, use_color
from cleanarticle.review.load import ReviewInputError, Reviewed, load_outputs

from _reviewdata import ARTICLE, pipeline, write_outputs

ROOT = Path(__file__).resolve().parent.parent


def _doc(text, name="d"):
    r = pipeline().run(text)
    return Reviewed(name, Path(f"{name}.txt"), r.text, tuple(r.changes))


def test_inline_marks_removals_and_rewrites_differently_with_filter_and_rule():
    lines = list(render_inline(_doc(ARTICLE), color=False))
    body = "\n".join(lines)
    assert "{--Subscribe to our newsletter for daily updates↵--}{>>boilerplate/newsletter<<}" in body
    assert "{~~teh~>the~~}{>>typos/misspelling<<}" in body
    assert "{~~recieve~>receive~~}{>>typos/misspelling<<}" in body
    assert lines[0].startswith("== d  (") and "boilerplate 2" in lines[0] and "typos 2" in lines[0]
    assert "\x1b" not in body
    # whitespace-only changes are counted, not shown, unless asked
    assert "whitespace-only change(s) not shown" in body and "space-run" not in body
    shown = "\n".join(render_inline(_doc(ARTICLE), color=False, whitespace=True))
    assert "{~~··~>·~~}{>>whitespace/space-run<<}" in shown


def test_inline_shows_only_changed_lines_with_context():
    text = "".join(f"Line {i} stays as it is.\n\n" for i in range(40)) + "We use cookies here.\n\nTail.\n"
    lines = list(render_inline(_doc(text), color=False, context=2))
    assert lines[1] == "@@ line 79 @@"  # line numbers of the clean text
    assert lines[2:4] == ["Line 39 stays as it is.", ""]
    assert lines[4].startswith("{--We use cookies here.") and lines[4].endswith("<<}Tail.")
    assert len(lines) == 5


def test_filter_focus():
    lines = "\n".join(render_inline(_doc(ARTICLE), color=False, filters={"typos"}))
    assert "typos/misspelling" in lines and "boilerplate" not in lines


def test_colour_marks_and_terminal_escapes_from_the_text_are_neutralised():
    doc = _doc("Evil \x1b[31mred\x1b[0m text teh end.\nSubscribe \x1b]0;title\x07 now\n")
    plain = "\n".join(render_inline(doc, color=False))
    assert "\x1b" not in plain and "\\x1b[31m" in plain and "\\x07" in plain
    coloured = "\n".join(render_inline(doc, color=True))
    assert "\x1b[31m\x1b[9m{--" in coloured  # removal: red, struck through
    assert "\x1b[33m{~~teh~>" in coloured    # rewrite: yellow old, green new
    assert "\x1b]0" not in coloured


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_color("auto", _Tty()) and not use_color("auto", io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_color("auto", _Tty())
    assert use_color("always", io.StringIO()) and not use_color("never", _Tty())


def test_stat_counts_per_filter_and_rule(tmp_path):
    write_outputs(tmp_path, {"a": ARTICLE, "b": "Plain text, nothing to do.\n", "c": "teh teh\n"})
    docs = load_outputs([tmp_path])
    table = stat_table(docs)
    rows = {tuple(line.split()[:2]): line.split()[2:] for line in table[1:-2]}
    # docs changes removals rewrites words- chars-
    assert rows[("typos", "misspelling")][:4] == ["2", "4", "0", "4"]
    assert rows[("boilerplate", "newsletter")][:3] == ["1", "1", "1"]
    assert rows[("boilerplate", "cookie-notice")][3:5] == ["0", "7"]
    assert table[-1].startswith("3 document(s), 2 changed, 14 of ")
    only = stat_table(docs, {"typos"})
    assert all(line.split()[0] in ("filter", "typos", "total") for line in only[:-1])


def _apply(tool, original: str, patch: str, tmp: Path) -> str:
    target = tmp / "d.txt"
    target.write_bytes(original.encode("utf-8"))
    (tmp / "p.patch").write_bytes(patch.encode("utf-8"))
    cmd = (["git", "apply", "--whitespace=nowarn", "p.patch"] if tool == "git"
           else ["patch", "-p1", "-s", "--no-backup-if-mismatch", "-i", "p.patch"])
    r = subprocess.run(cmd, cwd=tmp, capture_output=True, timeout=60)
    assert r.returncode == 0, (r.stdout + r.stderr).decode()
    return target.read_bytes().decode("utf-8")


TOOLS = [pytest.param(t, marks=pytest.mark.skipif(shutil.which(t) is None, reason=f"{t} not installed"))
         for t in ("patch", "git")]


@pytest.mark.parametrize("tool", TOOLS)
def test_unified_patch_applies_with_patch_and_git(tool, tmp_path):
    text = "Title  here\r\n\r\nSome teh text.\nSubscribe now\nMore\n\n\n\nLast line without newline"
    doc = _doc(text)
    patch = unified_diff(doc)
    assert patch.startswith("--- a/d.txt\n+++ b/d.txt\n@@ -1,")
    assert "\\ No newline at end of file" in patch
    assert _apply(tool, text, patch, tmp_path) == doc.text


_PIECES = ["teh", "word", "Subscribe now", "We use cookies.", "\n", "\n\n", "\n\n\n", "  ", " ", "\t",
           "\r\n", "\u00a0", "é", "x" * 30]


@pytest.mark.skipif(shutil.which("patch") is None, reason="patch not installed")
@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40), st.integers(0, 3))
def test_unified_patch_property(pieces, context):
    import tempfile

    text = "".join(pieces)
    doc = _doc(text)
    patch = unified_diff(doc, context=context)
    if doc.text == text:
        assert patch == ""
        return
    with tempfile.TemporaryDirectory() as td:
        assert _apply("patch", text, patch, Path(td)) == doc.text


@pytest.mark.parametrize("dense", [False, True])
def test_unified_diff_of_a_big_document(dense, tmp_path):
    """Hunks come from the log: many sparse changes, or one huge changed region."""
    rnd = random.Random(1)
    keep = "A line that stays exactly as it is.\n\n"
    pieces = ["Para teh one.\n\n", "Subscribe now\n\n", "Keep  this line.\n\n"] if dense else [keep] * 40 + ["Para teh one.\n\n"]
    text = "".join(rnd.choice(pieces) for _ in range(8000))
    doc = _doc(text)
    patch = unified_diff(doc)
    if not dense:
        assert patch.count("@@ -") > 100
    if shutil.which("patch"):
        assert _apply("patch", text, patch, tmp_path) == doc.text


def _cli(*args, env_extra=None):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("NO_COLOR", None)
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "cleanarticle", *map(str, args)], capture_output=True,
                          env=env, timeout=300)


def test_cli_diff_on_a_folder_a_text_file_and_a_log_file(tmp_path):
    write_outputs(tmp_path / "out", {"sub/a": ARTICLE, "b": "Nothing  here.\n"})
    r = _cli("diff", tmp_path / "out")
    assert r.returncode == 1, r.stderr  # like diff: 1 when there are changes
    out = r.stdout.decode()
    assert "== sub/a " in out and "== b " in out and "\x1b" not in out  # not a terminal: no colour
    r2 = _cli("diff", tmp_path / "out" / "sub" / "a.changes.jsonl", "--filter", "typos")
    assert "typos/misspelling" in r2.stdout.decode() and "newsletter" not in r2.stdout.decode()
    r3 = _cli("diff", tmp_path / "out" / "b.txt", "--stat")
    assert r3.returncode == 0 and b"whitespace" in r3.stdout
    r4 = _cli("diff", tmp_path / "out", "--color", "always", env_extra={"NO_COLOR": "1"})
    assert b"\x1b[" in r4.stdout


def test_cli_diff_unified_applies_to_the_original(tmp_path):
    if shutil.which("patch") is None:
        pytest.skip("patch not installed")
    write_outputs(tmp_path / "out", {"a": ARTICLE})
    r = _cli("diff", tmp_path / "out" / "a.txt", "--format", "unified")
    assert r.returncode == 1
    work = tmp_path / "work"
    work.mkdir()
    (work / "a.txt").write_text(ARTICLE, encoding="utf-8", newline="")
    (work / "p").write_bytes(r.stdout)
    subprocess.run(["patch", "-p1", "-s", "-i", "p"], cwd=work, check=True, timeout=60)
    assert (work / "a.txt").read_text(encoding="utf-8") == (tmp_path / "out" / "a.txt").read_text(encoding="utf-8")


def test_cli_diff_errors_are_one_line(tmp_path):
    (tmp_path / "x.txt").write_text("text\n", encoding="utf-8")
    r = _cli("diff", tmp_path / "x.txt")
    assert r.returncode == 2 and b"no change log x.changes.jsonl" in r.stderr and b"Traceback" not in r.stderr
    r = _cli("diff", tmp_path / "missing")
    assert r.returncode == 2 and b"no such file" in r.stderr


def test_a_log_that_does_not_fit_its_text_is_refused(tmp_path):
    write_outputs(tmp_path, {"a": ARTICLE})
    (tmp_path / "a.txt").write_text("edited by hand\n", encoding="utf-8")
    with pytest.raises(ReviewInputError, match="edited after cleaning"):
        load_outputs([tmp_path])


def test_run_writes_to_a_stream(tmp_path):
    write_outputs(tmp_path, {"a": ARTICLE})
    buf = io.StringIO()
    assert run([tmp_path], stat=True, out=buf) == 0
    assert "boilerplate" in buf.getvalue()


def test_diff_with_a_log_from_stdin_mode_on_the_output_or_the_original(tmp_path):
    original = "Intro  text, teh end.\r\nSubscribe now\r\nLast.\r\n"
    src = tmp_path / "in.txt"
    src.write_bytes(original.encode("utf-8"))
    r = subprocess.run([sys.executable, "-m", "cleanarticle", "clean", "-", "--changes", str(tmp_path / "log.jsonl")],
                       input=src.read_bytes(), capture_output=True, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                       timeout=120)
    assert r.returncode == 0, r.stderr
    (tmp_path / "out.txt").write_bytes(r.stdout)
    for text_file in ("out.txt", "in.txt"):
        (doc,) = load_outputs([tmp_path / text_file], tmp_path / "log.jsonl")
        assert doc.original == original and doc.text == r.stdout.decode("utf-8")
        r2 = _cli("diff", tmp_path / text_file, "--changes", tmp_path / "log.jsonl", "--whitespace")
        assert r2.returncode == 1 and b"whitespace/" in r2.stdout
    (tmp_path / "other.txt").write_text("Something else entirely.\n", encoding="utf-8")
    with pytest.raises(ReviewInputError, match="fits neither"):
        load_outputs([tmp_path / "other.txt"], tmp_path / "log.jsonl")
    r3 = _cli("diff", tmp_path / "in.txt", tmp_path / "out.txt", "--changes", tmp_path / "log.jsonl")
    assert r3.returncode == 2 and b"exactly one" in r3.stderr


def test_documents_without_changes_print_nothing():
    doc = _doc("Already clean.\n")
    assert not doc.changes and list(render_inline(doc, color=False)) == []
