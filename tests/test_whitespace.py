"""The canonical text form (whitespace filter)."""

import pytest

from cleanarticle import clean, restore


def ws(text, **opts):
    r = clean(text, filters=["whitespace"], options={"whitespace": opts} if opts else None)
    assert restore(r.text, r.changes) == text
    return r


@pytest.mark.parametrize("raw, expected", [
    ("", ""),
    ("   \n\t \n", ""),
    ("abc", "abc\n"),
    ("abc\n\n\n", "abc\n"),
    ("  indented\nline  ", "indented\nline\n"),
    ("a \t  b", "a b\n"),
    ("a\r\nb\rc", "a\nb\nc\n"),
    ("p1\n \n\t\n\n\np2", "p1\n\np2\n"),
    ("a\u00a0b\u202fc", "a b c\n"),
    ("a\u3000b", "a\u3000b\n"),                      # ideographic space is CJK punctuation: kept
    ("co\u00adop\u200ber\u2060a\ufefftion", "cooperation\n"),
    ("\U0001F468\u200d\U0001F469", "\U0001F468\u200d\U0001F469\n"),  # ZWJ emoji kept
    ("a\u2028b\u2029c", "a\nb\n\nc\n"),
    ("Cafe\u0301", "Caf\u00e9\n"),                    # NFC
])
def test_canonical_form(raw, expected):
    assert ws(raw).text == expected


def test_each_kind_of_change_has_its_own_rule():
    r = ws("  a\u00a0b  c\r\n\n\n\nsoft\u00adhyphen")
    rules = {c.rule for c in r.changes}
    assert {"leading-space", "nbsp", "space-run", "line-ending", "soft-hyphen", "final-newline"} <= rules
    assert all(c.reason for c in r.changes)


def test_line_paragraphs_get_blank_lines():
    text = "First paragraph ends here.\nSecond one too.\nThird as well.\nAnd the fourth."
    r = ws(text)
    assert r.text == text.replace("\n", "\n\n") + "\n"
    assert {c.rule for c in r.changes} == {"paragraph-breaks", "final-newline"}


def test_hard_wrapped_text_keeps_its_lines():
    text = "This paragraph was wrapped\nby an old mail client at\nsome fixed width and has\nno blank lines."
    assert ws(text).text == text + "\n"


def test_paragraph_breaks_can_be_turned_off():
    text = "One.\nTwo.\nThree.\nFour."
    assert ws(text, paragraph_breaks="keep").text == text + "\n"


def test_unknown_option_is_a_clear_error():
    with pytest.raises(ValueError, match="whitespace"):
        clean("x", filters=["whitespace"], options={"whitespace": {"bogus": 1}})


@pytest.mark.parametrize("piece", [7, 50, 1 << 16])
def test_nfc_is_found_in_every_piece_of_a_long_text(monkeypatch, piece):
    """The NFC step checks the text in pieces cut before a newline and reads segments
    only in pieces that are not NFC: every decomposed letter is still found, wherever the
    cuts fall (a line may even start with a combining mark)."""
    import random
    import unicodedata

    from cleanarticle.filters import whitespace as ws

    monkeypatch.setattr(ws, "_NFC_PIECE", piece)
    rng = random.Random(4)
    words = ["plain", "words", "Cafe\u0301", "cre\u0300me", "\u0301lone", "\u1100\u1161", "na\u00efve", "s\u0323\u0307"]
    paras = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 12))) for _ in range(300)]
    text = "\n\n".join(paras) + "\n"
    assert clean(text, filters=["whitespace"]).text == unicodedata.normalize("NFC", text)


@pytest.mark.parametrize("piece", [7, 1 << 16])
def test_a_long_nfc_text_is_left_as_it_is(monkeypatch, piece):
    """A text longer than a piece is checked piece by piece only: already NFC (composed
    letters, Hangul syllables), nothing in it changes."""
    from cleanarticle.filters import whitespace as ws

    monkeypatch.setattr(ws, "_NFC_PIECE", piece)
    text = "\n\n".join(f"Caf\u00e9 cr\u00e8me \uac00 line {k}" for k in range(4000)) + "\n"
    r = clean(text, filters=["whitespace"])
    assert r.text == text and not r.changes


_RUN_PIECES = ["a", "b", " ", "\n", "\n\n", "\t", "\u00a0", "\r", "\u200b", "\u2029", "\u00ad"]


@pytest.mark.parametrize("seed", range(4))
def test_the_run_pattern_skips_exactly_the_paragraph_breaks_inside_the_text(seed):
    """The spaces step's pattern leaves out a paragraph break with text on both sides
    (two newlines, already canonical) and finds every other run it used to: the same
    runs as the plain pattern with those breaks dropped afterwards."""
    import random
    import re

    from cleanarticle.filters import whitespace as ws

    plain = re.compile("[{0}](?:[{0}]+|(?<=[{1}]))".format(
        re.escape(ws._WS), re.escape(ws._WS.replace(" ", "").replace("\n", ""))))
    rng = random.Random(seed)
    for _ in range(20_000):
        text = "".join(rng.choice(_RUN_PIECES) for _ in range(rng.randint(0, 14)))
        n = len(text)
        want = [m.span() for m in plain.finditer(text)
                if not (m.group() == "\n\n" and m.start() and m.end() != n)]
        assert [m.span() for m in ws._ODD_RUN.finditer(text)] == want, repr(text)


_RUN_PIECES = ["a", "b.", " ", "  ", "\n", "\n\n", "\n\n\n", "\t", "\r\n", "\u00a0", "\u2028", "\u2029",
               "\u200b", "\u3000", "\x85", "\ufeff", "\u00ad", "é"]


@pytest.mark.parametrize("dense", [10 ** 9, 200])
def test_odd_runs_are_the_patterns_matches(monkeypatch, dense):
    """The runs found from plain searches are exactly the pattern's matches (a run at
    either end of the text, a paragraph break inside it or at an end, single odd
    characters, long runs), on many made-up texts; ``dense``: how many characters a run
    start must have to itself before the searches give way to one scan (never, then the
    default)."""
    import random

    from cleanarticle.filters import whitespace
    from cleanarticle.filters.whitespace import _ODD_RUN, _odd_runs

    monkeypatch.setattr(whitespace, "_DENSE", dense)
    rng = random.Random(11)
    for _ in range(60000):
        text = "".join(rng.choice(_RUN_PIECES) for _ in range(rng.randrange(0, 16)))
        if rng.random() < 0.3:
            text = "Plain words of prose here. " * rng.randrange(1, 40) + text
        assert _odd_runs(text) == [m.span() for m in _ODD_RUN.finditer(text)], repr(text)
