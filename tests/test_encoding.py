"""The encoding filter: ftfy's output exactly, one logged edit per repair."""

from __future__ import annotations

import json
from pathlib import Path

import ftfy
import pytest
from ftfy import fixes
from ftfy.badness import BADNESS_RE
from hypothesis import example, given, settings, strategies as st

from cleanarticle import clean, restore
from cleanarticle.filters import create
from cleanarticle.filters.encoding import DEFAULTS, EncodingFilter, badness_screen, trigger_chars

DATA = Path(__file__).parent / "data" / "encoding"
FIX = json.loads((DATA / "fix.json").read_text(encoding="utf-8"))
KEEP = json.loads((DATA / "keep.json").read_text(encoding="utf-8"))
FTFY_RULES = {"fix_encoding", "normalization", "ftfy", *ftfy.FIXERS}


def run(text: str, **options):
    return clean(text, filters=["encoding"], options={"encoding": options} if options else None)


def assert_faithful(text: str, **options) -> None:
    """Output equals ftfy.fix_text with the same config; the log rebuilds the input."""
    f = EncodingFilter(**options)
    r = run(text, **options)
    assert r.text == ftfy.fix_text(text, f.config._replace(explain=False))
    assert restore(r.text, r.changes) == text
    assert all(c.rule in FTFY_RULES for c in r.changes)
    # propose() (all repairs at once) reaches the same text
    edits = sorted(f.propose(text), key=lambda e: e.start)
    out, pos = [], 0
    for e in edits:
        out += [text[pos:e.start], e.replacement]
        pos = e.end
    assert "".join(out) + text[pos:] == r.text


@pytest.mark.parametrize("case", FIX, ids=[c["label"] for c in FIX])
def test_fix_cases(case):
    r = run(case["input"])
    assert r.text == case["expected"], case["comment"]
    assert r.changes, "a repair must be logged"
    assert_faithful(case["input"])


@pytest.mark.parametrize("case", KEEP, ids=[c["label"] for c in KEEP])
def test_must_not_change(case):
    assert case["input"] == case["expected"]
    r = run(case["input"])
    assert r.text == case["input"], case["comment"]
    assert r.changes == []
    # and nothing else in the default pipeline touches the letters either
    assert clean(case["input"]).text == case["input"] + "\n"


def test_each_repair_is_its_own_edit_with_exact_span():
    text = "Tom &amp; Jerry: the cafÃ© and the naÃ¯ve waiter"
    r = run(text)
    got = [(c.rule, c.before, c.after) for c in r.changes]
    assert got == [("unescape_html", "&amp;", "&"), ("fix_encoding", "Ã©", "é"), ("fix_encoding", "Ã¯", "ï")]
    for c in r.changes:
        assert text[c.start:c.end] == c.before
        assert r.text[c.out_start:c.out_end] == c.after


def test_double_encoding_keeps_both_steps_for_review():
    case = next(c for c in FIX if c["label"] == "double-encoded")
    r = run(case["input"])
    assert r.text == "naïve café"
    assert any(c.subsumes for c in r.changes), "the first of two fixes is kept in subsumes"
    assert all(c.rule == "fix_encoding" for c in r.changes)


def test_mixed_document_touches_only_the_broken_line():
    case = next(c for c in FIX if c["label"] == "mixed-document")
    r = run(case["input"])
    first_break = case["input"].index("\n")
    last_break = case["input"].rindex("\n")
    assert r.changes and all(first_break < c.start and c.end < last_break for c in r.changes)


def test_reason_names_the_encoding():
    r = run(FIX[0]["input"])
    assert any("windows-1252" in c.reason for c in r.changes)


def test_style_changes_are_opt_in():
    text = "“Quoted” ﬁne ＡＢＣ"
    assert run(text).text == text
    assert run(text, uncurl_quotes=True).text == '"Quoted" ﬁne ＡＢＣ'
    assert run(text, fix_latin_ligatures=True).text == "“Quoted” fine ＡＢＣ"
    assert run(text, fix_character_width=True).text == "“Quoted” ﬁne ABC"
    for opts in ({"uncurl_quotes": True}, {"fix_latin_ligatures": True}, {"fix_character_width": True}):
        assert_faithful(text, **opts)


def test_line_breaks_and_nfc_are_left_to_whitespace():
    text = "e\u0301\r\nline\u2028two"
    assert run(text).text == text
    assert clean(text).text == "é\nline\ntwo\n"
    assert run(text, normalization="NFC", fix_line_breaks=True).text == "é\nline\ntwo"
    assert_faithful(text, normalization="NFC", fix_line_breaks=True)


def test_unknown_option_is_an_error():
    with pytest.raises(ValueError):
        create("encoding", uncurl=True)
    assert set(DEFAULTS) <= set(ftfy.TextFixerConfig._fields)


def test_long_lines_are_chunked_like_ftfy():
    text = ("abc " * 10 + "cafÃ© ") * 5 + "\n" + "x&amp;y " * 9
    assert_faithful(text, max_decode_length=17)
    assert_faithful(text, max_decode_length=5)


# -- the fast screens are sound --------------------------------------------------

def test_badness_screen_is_derived_from_ftfy():
    assert badness_screen() is not None, "every badness alternative needs a non-ASCII item"


MOJI_ALPHABET = "".join(sorted(set(
    "aeoAZ ’“”–—…€™·°±²³ßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞ"
    "¡¢£¤¥¦§¨©ª«¬®¯´µ¶¸¹º»¼½¾¿ŒœŠšŸŽžƒˆ˜‚„†‡‰‹›\u00a0\u00ad\x81\x8d\x90\x9d"
    "ВГРСЂўвЂΒΓΞΟβ€√±∂≈‚Ä¢"
)))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=MOJI_ALPHABET, max_size=12))
def test_badness_screen_never_misses(s):
    if BADNESS_RE.search(s):
        assert badness_screen().search(s), s


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=MOJI_ALPHABET, max_size=24), st.integers(0, 24), st.integers(0, 24))
@example("\xa1\xde\x80", 0, 3)  # a pair's first character, then a pair: the match is the second
def test_screen_search_finds_what_the_screen_finds(s, pos, stop):
    from cleanarticle.filters.encoding import _screen_search

    m = badness_screen().search(s, pos, stop)
    got = _screen_search(s, pos, stop)
    assert (got.start() if got else None) == (m.start() if m else None)


def test_trigger_sets_cover_every_fixer():
    """A string of every code point outside the trigger set is left alone by each fixer."""
    cfg = ftfy.TextFixerConfig(uncurl_quotes=True, fix_character_width=True, fix_latin_ligatures=True,
                               fix_line_breaks=True)
    triggers = trigger_chars(cfg) | {ord("&"), ord("\x1b")}
    rest = "".join(chr(c) for c in range(0x110000) if c not in triggers)
    for name in ("fix_c1_controls", "fix_latin_ligatures", "fix_character_width", "uncurl_quotes",
                 "fix_line_breaks", "fix_surrogates", "remove_control_chars", "remove_terminal_escapes",
                 "unescape_html"):
        assert ftfy.FIXERS[name](rest) == rest, name


# -- equivalence with ftfy on generated text --------------------------------------

GOOD = ["The café is open.", "Zürich", "Łódź", "Привет", "Καλημέρα", "東京", "👍🏽", "“quote”",
        "it’s", "naïve", "SÃO PAULO", "x² × 3", "a < b", "AT&T", "&amp;", "&eacute;", "&#x2019;",
        "\x00", "\x1b[1m", "\x92", "\x85", "\u00a0", "ﬁ", "ＡＢ", "\r\n", "\n", "\n\n", " ", "e\u0301"]


def _mojibake(s: str, enc: str) -> str:
    return s.encode("utf-8").decode(enc, errors="replace")


pieces = st.one_of(
    st.sampled_from(GOOD),
    st.text(max_size=8),
    st.builds(_mojibake, st.sampled_from(GOOD + ["größer", "señor", "Ελλάδα", "😀"]),
              st.sampled_from(["sloppy-windows-1252", "latin-1", "sloppy-windows-1251", "cp437"])),
    st.builds(lambda s: _mojibake(_mojibake(s, "sloppy-windows-1252"), "sloppy-windows-1252"),
              st.sampled_from(["café", "über", "“x”"])),
)
texts = st.lists(pieces, max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_identical_to_ftfy_default(text):
    assert_faithful(text)


@settings(max_examples=150, deadline=None)
@given(texts, st.sampled_from([
    {"uncurl_quotes": True, "fix_character_width": True, "fix_latin_ligatures": True},
    {"normalization": "NFC", "fix_line_breaks": True},
    {"unescape_html": True}, {"unescape_html": False}, {"fix_encoding": False},
    {"max_decode_length": 7},
]))
def test_identical_to_ftfy_with_options(text, options):
    assert_faithful(text, **options)


@settings(max_examples=100, deadline=None)
@given(texts)
def test_default_pipeline_is_idempotent(text):
    once = clean(text).text
    assert clean(once).text == once


def test_deterministic():
    text = "\n".join(c["input"] for c in FIX)
    a, b = run(text), run(text)
    assert a.text == b.text and a.changes == b.changes


# -- ascii ---------------------------------------------------------------------------

def test_ascii_folds_and_logs():
    r = clean("Zürich — “Grüezi” 😀 ok", filters=["ascii"])
    assert r.text.isascii()
    assert r.text == 'Zurich -- "Gruezi"  ok'
    assert {c.rule for c in r.changes} == {"unidecode", "unidecode-drop"}
    assert r.restore() == "Zürich — “Grüezi” 😀 ok"


def test_ascii_is_off_by_default_and_runs_last():
    from cleanarticle.filters import default_names, names

    assert "ascii" not in default_names()
    assert names()[0] == "encoding" and names()[-1] == "ascii"
    assert clean("Zürich").text == "Zürich\n"


def test_ascii_keep_and_unknown():
    r = clean("5 € in Köln 😀", filters=["ascii"], options={"ascii": {"keep": "€", "drop_unknown": False}})
    assert r.text == "5 € in Koln 😀"


def test_ascii_drops_a_lone_surrogate_quietly():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # unidecode warns on surrogates: that must not leak
        r = clean("a\ud8a9b caf\u00e9", filters=["ascii"])
    assert r.text == "ab cafe"
    assert [c.rule for c in r.changes] == ["unidecode-drop", "unidecode"]
    assert r.restore() == "a\ud8a9b caf\u00e9"


KNOWN = json.loads((DATA / "known_failures.json").read_text(encoding="utf-8"))


@pytest.mark.xfail(strict=True, reason="beyond ftfy: documented known failure")
@pytest.mark.parametrize("case", KNOWN, ids=[c["label"] for c in KNOWN])
def test_known_failures(case):
    r = run(case["input"])
    assert_faithful(case["input"])  # still exactly ftfy's answer ...
    assert r.text == case["expected"], case["comment"]  # ... which is not the right one
