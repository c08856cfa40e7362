"""Properties of the whole pipeline on arbitrary Unicode text (hypothesis)."""

import json

from hypothesis import example, given
from hypothesis import strategies as st

from cleanarticle import changes_from_jsonl, changes_to_jsonl, clean, restore
from cleanarticle.filters.whitespace import INVISIBLE, SPACES

SPECIAL = ["\n", "\r\n", "\r", "\n\n", " ", "  ", "\t", "\x00", "\u00a0", "\u200b", "\u00ad", "\u0301",
           "\u0308", "\u200d", "\U0001F469\u200d\U0001F4BB", "\U0001F600", "e\u0301", "\ufeff", "\u2028",
           "\u2029", "\u3000", "\u202f", "Ã©", "â€™", "&amp;", "Kiev", "The ", ". ", "\u0627\u0644"]

texts = st.lists(st.one_of(st.text(max_size=12), st.sampled_from(SPECIAL)), max_size=40).map("".join)
# these are properties of text mode: a generated text may start like a page ("<HTML"), which
# format="auto" would send to HTML extraction (whose change log starts from the extracted text)
TEXT = {"format": "text"}


@given(texts)
def test_restore_rebuilds_the_input(x):
    r = clean(x, **TEXT)
    assert restore(r.text, r.changes) == x


@given(texts)
def test_cleaning_is_idempotent(x):
    once = clean(x, **TEXT).text
    assert clean(once, **TEXT).text == once


@given(texts)
def test_cleaning_is_deterministic(x):
    a, b = clean(x, **TEXT), clean(x, **TEXT)
    assert a.text == b.text
    assert changes_to_jsonl(a.changes) == changes_to_jsonl(b.changes)


@given(texts)
def test_change_log_is_valid_json_lines(x):
    r = clean(x, **TEXT)
    text = changes_to_jsonl(r.changes)
    for line in text.splitlines():
        json.loads(line)
    assert changes_from_jsonl(text) == r.changes


def _words(s):
    import unicodedata

    s = "".join(ch for ch in s if ch not in INVISIBLE)
    return [unicodedata.normalize("NFC", w) for w in s.split()]


@given(texts)
def test_whitespace_never_glues_words(x):
    r = clean(x, filters=["whitespace"], **TEXT)
    assert _words(r.text) == _words(x)


def _paragraphs(s):
    """Paragraphs as the README defines them: blocks separated by a blank line."""
    import re

    s = s.replace("\r\n", "\n")
    for ch in "\r\x0b\x0c\x85\u2028":
        s = s.replace(ch, "\n")
    s = s.replace("\u2029", "\n\n")
    blank = "[" + re.escape(SPACES + INVISIBLE) + "]*"
    blocks = re.split(f"\n{blank}\n", s)
    return [_words(b) for b in blocks if _words(b)]


@given(texts)
@example("<HTML")  # looks like a page: text mode must still keep it as it is
def test_whitespace_keeps_paragraph_structure(x):
    r = clean(x, filters=["whitespace"], options={"whitespace": {"paragraph_breaks": "keep"}}, **TEXT)
    assert _paragraphs(r.text) == _paragraphs(x)
