"""Line facts read many lines at once are exactly the facts read line by line."""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cleanarticle.boilerplate import facts as F
from cleanarticle.boilerplate.data import stopwords

_STOPS = stopwords("en") | {"σας", "de", "la"}
_PIECES = [
    "The", "council", "met", "on", "Monday", "by", "By", "John", "Smith", "12:30", "12.30 pm", "3 hours ago",
    "5 min", "ago", "2024-05-03", "May 3, 2024", "3 May 2024", "1.2.2024", "Updated", "posted", "lundi",
    "https://example.com/x", "www.site.org", "mail.co.uk", "spainSPAIN", "chileCHILE", "ÀÉÎ", "İstanbul",
    "ΟΔΟΣ", "σας", "ΣΑΣ.", "Σ", "naïve", "e\u0301", "٣٤", "²", "½", "Ⅻ", "__init__", "x|y", "©2024", "•", "»",
    "→", "#tag", "@user", "user_12", "a.b", "don't", "Share", "on", "Facebook", "Sign", "up", "newsletter",
    "Advertisement", "Photo:", "Getty", "Images", "cookies", "Read", "more", "Home", "World", ",", ".", "!",
    "?", "…", "”", "»", "\u00a0", "\t", "\u2003", "🙂", "𝐀𝐁", "\U0001f1ea\U0001f1f8", "\ud800", "ǅ", "ß", "ﬁ",
    "\u212a", "\u017f", "\x00", "\x85", "\u2028",
]
_WORDS = st.lists(st.sampled_from(_PIECES), max_size=30)
_LINE = st.one_of(
    _WORDS.map(" ".join),
    st.tuples(_WORDS, st.sampled_from(["", " ", "  ", "\t"]), st.sampled_from(["", " ", ".", "  "]))
    .map(lambda t: t[1] + " ".join(t[0]) + t[2]),
    st.text(st.characters(exclude_characters="\n"), max_size=40),
)


def _fields(info: F.LineInfo) -> tuple:
    return tuple(getattr(info, name) for name in F.LineInfo.__slots__)


def _read_both(lines: list[str], lang: str = "en") -> tuple[list[tuple], list[tuple]]:
    checks = F.family_checks(lang, ())
    one = [_fields(F.line_facts(t, _STOPS, checks)) for t in lines]
    many = [_fields(i) for i in F.many_facts(lines, _STOPS, checks)]
    return one, many


@settings(max_examples=150, deadline=None)
@given(st.lists(_LINE, max_size=40))
@example(["12:30", "am 5:45", "by", "John Smith"])  # a match would cross the newline if \s read it
@example(["ΟΔΟΣ", "Σ", "ΣΑΣ"])  # a final sigma depends on what follows, never past a newline
@example(["", "", "x"])
@example(["\ud800 broken \udfff", "İİ x"])  # lone surrogates; lower-casing that changes length
def test_many_lines_at_once_are_each_line_alone(lines):
    one, many = _read_both(lines)
    assert many == one


def test_runs_of_lines_and_lines_read_alone_give_the_same_facts(monkeypatch):
    """Runs cut every few characters, very long lines and texts holding a newline go
    through their own paths; the facts are the same."""
    lines = [" ".join(_PIECES[(k * 7 + j) % len(_PIECES)] for j in range(k % 23)) for k in range(300)]
    lines += ["word " * 400, "a\nb"]
    one, _ = _read_both(lines)
    for size in (1, 50, 1000, 1 << 18):
        monkeypatch.setattr(F, "_BATCH_CHARS", size)
        assert _read_both(lines)[1] == one, size


def test_a_language_with_its_own_families_reads_the_same():
    lines = ["Suscríbete a nuestro boletín", "Publicidad", "El gobierno aprobó el presupuesto el lunes.",
             "Compartir en Facebook", "Inicio · Noticias · Deportes"] * 3
    one, many = _read_both(lines, "es")
    assert many == one
    assert any(f[3] is not None for f in many)  # a family matched: the check is not vacuous


def test_the_word_class_is_the_regex_word_class():
    """Words are found from a character class table (a word: a run of characters that
    ``str.isalnum()`` or ``_``); the regex ``\\w`` must agree on every code point."""
    chars = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    regex = set(re.findall(r"\w", chars))
    table = {ch for ch in chars if ch.isalnum() or ch == "_"}
    assert regex == table


@pytest.mark.parametrize("many", [1, 10**9])
def test_describe_reads_new_lines_either_way_alike(monkeypatch, many):
    """``describe`` reads many new lines at once and a few one by one: same facts."""
    from cleanarticle.boilerplate import features
    from cleanarticle.boilerplate.segment import split_lines

    text = "\n".join(lines for lines in (" ".join(_PIECES[k:k + 9]) for k in range(0, len(_PIECES), 3)))
    text += "\n\nShare on Facebook\nShare on Facebook\n"
    lines = split_lines(text)
    expected = [_fields(i) for i in features.describe(lines, "en", (), {})]
    monkeypatch.setattr(features, "_MANY", many)
    assert [_fields(i) for i in features.describe(lines, "en", (), {})] == expected


def _hint_words(lang: str) -> list[str]:
    from cleanarticle.boilerplate.data import families
    from cleanarticle.boilerplate.hints import hint

    out = set()
    for f in families(lang):
        for part in f.parts:
            out.update(hint(part) or ())
    return sorted(out)


@pytest.mark.parametrize("lang", ["en", "de", "fr", "es", "it"])
@settings(max_examples=120, deadline=None)
@given(data=st.data())
def test_the_first_family_is_the_first_whose_regex_matches(lang, data):
    """Families are searched pattern by pattern, only the patterns whose hint strings
    occur and, for a pattern anchored at both ends, only lines of a length it can match:
    the family found is the first (in order) whose whole regex matches within its word limit."""
    from cleanarticle.boilerplate.data import compile_family
    from cleanarticle.boilerplate.hints import fold
    from cleanarticle.boilerplate.segment import WORD

    extra = (compile_family("user-rule", [re.escape("sponsored by acme")], 60, "test"),)
    checks = F.family_checks(lang, extra)
    words = _hint_words(lang) + ["Home", "HOME", "the", "council", "12", "by", "acme", "sponsored", "·", "|", "x"]
    pieces = st.lists(st.sampled_from(words), min_size=1, max_size=data.draw(st.sampled_from([1, 3, 12, 40])))
    pad = st.sampled_from(["", " ", "  ", "\t", ".", " :"])
    line = data.draw(st.tuples(pad, pieces, pad, st.sampled_from([str.lower, str.upper, str.title, str])))
    t = line[3](line[0] + " ".join(line[1]) + line[2])
    nw = len(WORD.findall(t))
    expected = next((f for f in checks.families if nw <= f.max_words and f.regex.search(t)), None)
    assert checks.first(t, nw, fold(t)) is expected


@pytest.mark.parametrize("lang", ["en", "de", "fr", "es", "it"])
def test_the_first_family_of_each_hint_alone_is_the_first_whose_regex_matches(lang):
    """Every hint string alone as a line, in several cases and paddings: menu words are
    whole-line matches at the shortest and longest widths of their patterns."""
    from cleanarticle.boilerplate.hints import fold
    from cleanarticle.boilerplate.segment import WORD

    checks = F.family_checks(lang, ())
    found = 0
    for w in _hint_words(lang) + ["press releases", "advertise with us", "e-paper", "u.s.", "log in"]:
        for t in (w, w.upper(), w.title(), w.strip(), " " + w, w + ".", w + " " + w):
            nw = len(WORD.findall(t))
            expected = next((f for f in checks.families if nw <= f.max_words and f.regex.search(t)), None)
            assert checks.first(t, nw, fold(t)) is expected, t
            found += expected is not None
    assert found > 20


def test_patterns_that_refer_to_groups_are_searched_together():
    from cleanarticle.boilerplate.data import compile_family

    fam = compile_family("user-rule", [r"(ab)", r"x\1"], 10, "test")
    assert fam.parts == (fam.regex,)  # alone, \1 would be the second pattern's own group
    assert len(compile_family("user-rule", ["ab", "cd"], 10, "test").parts) == 2
