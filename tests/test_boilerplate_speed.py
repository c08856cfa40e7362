"""The boilerplate filter's speed shortcuts give the same answers as the plain code."""

from __future__ import annotations

import math
import random
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleanarticle.boilerplate.data import compile_family, families
from cleanarticle.boilerplate.hints import HintIndex, fold, hint
from cleanarticle.boilerplate.model import load_model
from cleanarticle.boilerplate.segment import split_lines

_LINES = [
    "We use cookies to improve your experience. Accept all", "Sign up for our newsletter",
    "SIGN UP FOR OUR NEWSLETTER", "Share on Facebook", "Read more: the council's budget",
    "Advertisement", "Photo: Getty Images", "© 2024 Example Media. All rights reserved.",
    "Datenschutz und Cookie-Einstellungen", "Lesen Sie auch", "Publicité", "Lire aussi",
    "Suscríbete al boletín", "Noticias relacionadas", "Was this page helpful?",
    "Download our app on the App Store", "The council approved the budget on Monday.",
    "Coo\u212aies help us (Kelvin sign)", "\u017fhare thi\u017f \u017ftory", "L\u0130VE UPDATES",
    "Tweet", "x", "Print", "Comments (12)", "Skip to main content", "Back to top",
]


def _mutations(line: str, rng: random.Random) -> list[str]:
    out = [line, line.upper(), line.lower(), line.title(), "  " + line + " ."]
    out.append(line.replace("k", "\u212a").replace("s", "\u017f").replace("i", "\u0131"))
    chars = list(line)
    rng.shuffle(chars)
    out.append("".join(chars))
    return out


@pytest.mark.parametrize("lang", ["en", "de", "fr", "es", "it"])
def test_hint_never_skips_a_match(lang):
    rng = random.Random(7)
    lines = [m for ln in _LINES for m in _mutations(ln, rng)]
    for fam in families(lang):
        need = hint(fam.regex)
        for ln in lines:
            if fam.regex.search(ln):
                assert need is None or any(s in fold(ln) for s in need), (fam.rule, ln)


@pytest.mark.parametrize("lang", ["en", "de", "fr", "es", "it"])
def test_hint_index_finds_exactly_the_families_with_a_hint_string(lang):
    # overlapping and nested hints ("sign" inside "signing") must all be found
    rng = random.Random(11)
    lines = [m for ln in _LINES for m in _mutations(ln, rng)]
    fams = families(lang)
    needs = [hint(f.regex) for f in fams]
    index = HintIndex([f.regex for f in fams])
    probes = lines + [p for need in needs if need for s in need for p in (s[:-1], s, "x" + s.upper() + "y")]
    for ln in probes:
        low = fold(ln)
        expected = sum(1 << i for i, need in enumerate(needs) if need is None or any(s in low for s in need))
        assert index.candidates(low) == expected, ln


def test_hint_reads_alternatives_groups_and_repeats():
    rx = re.compile(r"\b(accept|reject) all\b|^sign(ing)? up$|(?:x{2,}|y+)z", re.IGNORECASE)
    need = hint(rx)
    # per alternative the longest required literal run, or a group's "one of"
    assert need == ("accept", "reject", "sign", "x", "y")
    for ln in ["ACCEPT ALL", "Signing up", "xxz", "yyyZ"]:
        assert rx.search(ln) and any(s in fold(ln) for s in need)
    assert not any(s in fold("nothing here") for s in need)
    # an optional part gives no requirement; a pattern made only of classes has none
    assert hint(re.compile(r"[a-z]+\d", re.IGNORECASE)) is None
    assert hint(re.compile(r"(?:foo)?", re.IGNORECASE)) is None
    # uncased non-ASCII characters count; cased ones (with case variants) do not
    assert hint(re.compile(r"(©|\(c\)) \d{4}", re.IGNORECASE)) == ("(c)", "©")
    assert hint(re.compile(r"über", re.IGNORECASE)) == ("ber",)


def test_user_rule_families_get_hints():
    fam = compile_family("user-rule", [re.escape("sponsored by acme")], 60, "test")
    assert hint(fam.regex) == ("sponsored by acme",)


def _split_reference(text):
    """The plain line splitter the fast one replaced."""
    out, block, in_block, pos, blank = [], 0, 0, 0, False
    while pos < len(text):
        nl = text.find("\n", pos)
        nl = len(text) if nl < 0 else nl
        if not text[pos:nl].strip():
            if out and not blank:
                block, in_block = block + 1, 0
            blank = True
        else:
            blank = False
            out.append([len(out), pos, nl, text[pos:nl], block, in_block, 1])
            in_block += 1
        pos = nl + 1
    for row in out:
        row[6] = sum(1 for r in out if r[4] == row[4])
    return [tuple(r) for r in out]


def test_split_lines_matches_reference():
    rng = random.Random(3)
    alphabet = ["a", "b", " ", "\n", "\n", "\t", "\u3000", "\x85", "\r", "word"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        got = [(ln.index, ln.start, ln.end, ln.text, ln.block, ln.in_block, ln.block_lines)
               for ln in split_lines(text)]
        assert got == _split_reference(text), repr(text)


def _walk(tree, row):
    node = 0
    while tree["left"][node] >= 0:
        node = tree["left"][node] if row[tree["feature"][node]] <= tree["threshold"][node] else tree["right"][node]
    return tree["value"][node]


def _walk_margin(st, row):
    """A stage's raw margin of ``row`` by a plain walk of each tree, summed left to right."""
    total = _walk(st["trees"][0], row)
    for tree in st["trees"][1:]:
        total += _walk(tree, row)
    return st["prior"] + st["learning_rate"] * total


def test_compiled_trees_match_a_plain_walk():
    """One row at a time, and rows scored together (the trees summed for all rows at once,
    chunking included): each row gets the float a plain walk gives, values equal to a
    threshold, infinities and NaN included (the binned answers for many rows); and the
    compiled trees of boilerplate/compiled.py when numba is installed."""
    import json

    import numpy as np

    from cleanarticle.boilerplate import compiled
    from cleanarticle.boilerplate.model import DEFAULT_MODEL

    spec = json.loads(DEFAULT_MODEL.read_text(encoding="utf-8"))
    model = load_model()
    rng = random.Random(5)
    for stage, name in ((model.stage1, "stage1"), (model.stage2, "stage2")):
        st = spec[name]
        thresholds = [t for tree in st["trees"] for t in tree["threshold"]]
        odd = [math.nan, math.inf, -math.inf, -0.0, 1e300]

        def row():
            return [rng.choice([rng.random() * 4 - 1] * 3 + [rng.choice(thresholds)] * 3 + [rng.choice(odd)])
                    for _ in st["features"]]

        for _ in range(300):
            r = row()
            assert stage.raw(r) == _walk_margin(st, r)
            if compiled.available:  # the compiled trees (numba installed) as well
                assert compiled._margin(np.array(r), stage._columns, stage._thresholds, stage._flat_table,
                                        stage.n_trees, stage.prior, stage.rate) == _walk_margin(st, r)
        for n in (1, 2, 3, 7, 8, 9, 40, 96, 97, 513, 1100):  # both layouts of margins_columns
            rows = [row() for _ in range(n)]
            assert stage.margins(rows) == [_walk_margin(st, r) for r in rows], n


def test_line_facts_memo_is_bounded_and_changes_nothing(monkeypatch):
    import cleanarticle.filters.boilerplate as fb
    from cleanarticle import Pipeline

    texts = [f"Headline number {i}\n\nShare this\n\nThe council met on day {i} and approved the "
             f"budget after a long debate about schools and roads.\n\nSign up for our newsletter\n"
             for i in range(40)]
    pipe = Pipeline.from_names(["whitespace", "boilerplate"])
    fb._FACTS.clear()
    expected = [pipe.run(t, metadata={"language": "en"}) for t in texts]
    monkeypatch.setattr(fb, "_FACTS", {})
    monkeypatch.setattr(fb, "_FACTS_MAX_LINES", 5)
    for _ in range(2):
        got = [Pipeline.from_names(["whitespace", "boilerplate"]).run(t, metadata={"language": "en"})
               for t in texts]
        assert [(r.text, r.changes, r.metadata) for r in got] == [(r.text, r.changes, r.metadata) for r in expected]
    for memo in fb._FACTS.values():  # two generations at most: the old one holds no older one
        assert len(memo) <= 5 + 8 and not getattr(getattr(memo, "old", {}), "old", {})


@pytest.mark.parametrize("chunk", [1, 7, 64])
@pytest.mark.parametrize("path", ["scores", "scores_numpy"])
def test_scores_in_chunks_are_the_scores_of_the_whole(monkeypatch, chunk, path):
    """A long text is scored a chunk of lines at a time (bounded memory); each line gets
    the float it gets when all rows are built at once (the training path). ``scores`` is
    the compiled version when numba is installed."""
    from pathlib import Path

    import cleanarticle.boilerplate.features as F

    model = load_model()
    seeds = sorted((Path(__file__).parent.parent / "seeds").glob("*.txt"))
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in seeds)
    lines = split_lines(text)
    infos = F.describe(lines, "en")
    rows1 = F.stage1(infos, lines)
    s1 = model.stage1.score(rows1)
    s2 = model.stage2.score(F.stage2(infos, lines, rows1, s1))
    monkeypatch.setattr(F, "_CHUNK_ROWS", chunk)
    assert getattr(F, path)(model, infos, lines) == (s1, s2)


def test_a_very_long_line_read_in_pieces_has_the_same_facts(monkeypatch):
    """Past _LONG_LINE characters a line's words, stopwords and key are read a piece at a
    time (bounded memory on a 50 MB single line); the facts are those of the whole line."""
    import random

    import cleanarticle.boilerplate.facts as F
    import cleanarticle.boilerplate.segment as S

    rng = random.Random(9)
    words = ["The", "council", "ΟΔΟΣ", "σας", "İstanbul", "12:30", "3", "x|y", "©2024", "a.b", "don't",
             "naïve", "\u00a0", "word,", "ΣΑΣ.", "__init__", "½", "Ⅻ", "e\u0301"]
    lines = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 60))) for _ in range(200)]
    stops = frozenset({"the", "a", "σας"})
    checks = F.family_checks("en", ())

    def facts(t):
        i = F.line_facts(t, stops, checks)
        return (i.nwords, i.stop, i.upper, i.letters, i.key, i.static, i.dense, i.family)

    whole = [facts(t) for t in lines]
    for size in (1, 5, 17):
        monkeypatch.setattr(F, "_LONG_LINE", size)
        monkeypatch.setattr(S, "_LONG_LINE", size)
        assert [facts(t) for t in lines] == whole
        assert [S.line_key(t) for t in lines] == [i[4] for i in whole]


@given(st.text(alphabet=st.sampled_from(["a", "B", "1", "2", " ", "-", "_", ".", "İ", "é", "٣", "ß"]), max_size=40))
def test_line_key_from_the_words_found_is_the_line_key(text):
    """Features pass the words they found to line_key: the same key (ASCII from the words,
    other text split again)."""
    from cleanarticle.boilerplate.segment import WORD, line_key

    assert line_key(text, WORD.findall(text)) == line_key(text)


@given(st.integers(1, 3000), st.data())
def test_log_distance_is_log1p_of_each_lines_distance(n, data):
    """Distances before / after an edge, read off one ``log1p`` table: the same floats as
    ``np.log1p`` of each line's distance (the formula stage 1 and 2 used before)."""
    import numpy as np

    from cleanarticle.boilerplate.features import _log_distance

    a = data.draw(st.integers(0, n - 1))
    b = data.draw(st.integers(a + 1, n))
    k = np.arange(a, b)
    edge = data.draw(st.integers(0, n))
    assert _log_distance(k, n, edge, True).tobytes() == np.log1p(np.where(edge > k, edge - k, 0)).tobytes()
    edge = data.draw(st.integers(-1, n - 1))
    assert _log_distance(k, n, edge, False).tobytes() == np.log1p(np.where(k > edge, k - edge, 0)).tobytes()
