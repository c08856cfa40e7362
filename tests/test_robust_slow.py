"""Heavy inputs: a 50 MB single line and 200,000 tiny paragraphs, through the API and the CLI.

Marked ``slow`` (deselect with ``-m "not slow"`` while developing); CI runs them. They check
completion and exactness, not a time: growth is checked in ``test_robust_regex.py``.
"""

from __future__ import annotations

import pytest

from cleanarticle import clean, restore
from cleanarticle.edits import changes_from_jsonl

from robust_hostile import check_canonical, check_clean_stderr, cli

pytestmark = pytest.mark.slow

MB = 1024 * 1024


def one_line(size: int) -> str:
    """Ordinary words on one line, with a double space and a no-break space now and then."""
    unit = "word " * 190 + "two  spaces and\u00a0nbsp "
    return (unit * (size // len(unit) + 1))[:size].rstrip() + "."


def tiny_paragraphs(n: int) -> str:
    return "".join(f"Tiny {i}.\r\n\r\n" if i % 10 == 0 else f"Tiny {i}.\n\n" for i in range(n))


@pytest.fixture(scope="module")
def big_line():
    return one_line(50 * MB)


@pytest.fixture(scope="module")
def many_paragraphs():
    return tiny_paragraphs(200_000)


def test_api_50mb_single_line(big_line):
    r = clean(big_line)
    assert r.text.count("\n") == 1 and r.text.endswith(".\n")
    check_canonical(r.text)
    assert "  " not in r.text and "\u00a0" not in r.text
    assert len(r.changes) >= 50 * MB // 1200
    assert restore(r.text, r.changes) == big_line


def test_api_200k_tiny_paragraphs(many_paragraphs):
    r = clean(many_paragraphs)
    assert r.text.count("\n\n") == 200_000 - 1, "every paragraph kept"
    assert "\r" not in r.text
    assert restore(r.text, r.changes) == many_paragraphs


def test_cli_50mb_single_line(big_line, tmp_path):
    src = tmp_path / "big.txt"
    src.write_bytes(big_line.encode("utf-8"))
    out = tmp_path / "out"
    r = cli("clean", src, "-o", out, "-q")
    check_clean_stderr(r.stderr)
    assert r.returncode == 0
    text = (out / "big.txt").read_bytes().decode("utf-8")
    log = changes_from_jsonl((out / "big.changes.jsonl").read_bytes().decode("utf-8"))
    assert restore(text, log) == big_line


def test_cli_200k_tiny_paragraphs_through_stdin(many_paragraphs, tmp_path):
    log = tmp_path / "log.jsonl"
    r = cli("clean", "-", "--changes", log, stdin=many_paragraphs.encode("utf-8"))
    check_clean_stderr(r.stderr)
    assert r.returncode == 0
    text = r.stdout.decode("utf-8")
    assert text.count("\n\n") == 200_000 - 1
    assert restore(text, changes_from_jsonl(log.read_bytes().decode("utf-8"))) == many_paragraphs
