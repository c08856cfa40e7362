"""Line-local re-runs: a settle round reads only the lines changed since a filter's last run,
and gets exactly what a run over the whole text would."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cleanarticle import Pipeline
from _rounds import apply_rounds, batches
from cleanarticle.edits import Edit, EditLog, resolve
from cleanarticle.filters import local
from cleanarticle.filters.typos import TyposFilter

HERE = Path(__file__).resolve().parent


def _whole_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line of ``text``, its newline included."""
    out, pos = [], 0
    while pos < len(text):
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl + 1
        out.append((pos, end))
        pos = end
    return out


@given(batches(max_text=40))
def test_a_line_outside_the_windows_was_the_same_whole_line_before(case):
    text, rounds = case
    log, spans, origin = apply_rounds(text, rounds)
    new = log.text
    inside = local.windows(new, spans)
    old_lines = set(_whole_lines(text))
    for a, b in _whole_lines(new):
        if any(x <= a < y for x, y in inside):
            continue
        assert all(origin[p] >= 0 for p in range(a, b))
        o = (origin[a], origin[b - 1] + 1)
        assert o in old_lines, (text, new, spans, (a, b))
        assert new[a:b] == text[o[0]:o[1]]


# -- the typos filter keeps the contract ---------------------------------------------

_WORDS = ["the", "the", "The", "council", "recieve", "Recieve", "ukrainian", "city.The", "[sic]", "(sic)",
          "teh", "and", "and", "of", "goverment", "Kyiv.The", "\"teh\"", "www.teh.com", "beseiged", "a", "a"]


@st.composite
def typo_texts(draw):
    lines = draw(st.lists(st.lists(st.sampled_from(_WORDS), min_size=0, max_size=7), min_size=1, max_size=8))
    text = "\n".join(" ".join(ws) for ws in lines) + "\n"
    changes = draw(st.lists(st.tuples(st.integers(0, len(text)), st.integers(0, 8),
                                      st.sampled_from(["the ", "teh", "\n", " the the ", "", "x.The ", "[sic]"])),
                            max_size=4))
    return text, changes


def _run_steps(f, log, doc):
    """One run of the filter's steps, as the pipeline does it (carrying the spans)."""
    for step in f.steps():
        doc.changed = doc._changed.get(f.name)
        if log.apply(f.name, list(step(log.text, doc))):
            doc._carry(log.applied)
    doc.changed = None
    doc._changed[f.name] = []


def _settle_matches_a_whole_run(f, text: str, changes) -> None:
    """Run ``f`` to its fixed point, let another filter make ``changes``, then run ``f``
    again as a settle round does (shown the changed spans) and over the whole text:
    the same edits, step by step."""
    from cleanarticle.pipeline import Document

    log, doc = EditLog(text), Document({}, {})
    for _ in range(3):  # to its fixed point
        _run_steps(f, log, doc)
    n = len(log.text)
    if log.apply("other", resolve([Edit(min(s, n), min(s + k, n), r, "x", "") for s, k, r in changes], n),
                 resolved=True):
        doc._carry(log.applied)
    whole, part = EditLog(log.text), EditLog(log.text)
    part_doc = Document({}, {})
    part_doc._changed = dict(doc._changed)
    for full_step, step in zip(f.steps(), f.steps()):
        full = list(full_step(whole.text, None))
        part_doc.changed = part_doc._changed.get(f.name)
        got = list(step(part.text, part_doc))
        assert resolve(got, len(part.text)) == resolve(full, len(whole.text)), whole.text
        whole.apply(f.name, full)
        if part.apply(f.name, got):
            part_doc._carry(part.applied)
    assert part.text == whole.text


@settings(max_examples=300)
@given(typo_texts())
@example(("We saw teh\n[sic] city\n", [(11, 6, "")]))  # a [sic] on the next line never counted
@example(("and Recieve it\n", [(3, 1, "\n")]))  # a new line starts before a capitalised word
def test_typos_on_the_changed_lines_equals_typos_on_the_whole_text(case):
    _settle_matches_a_whole_run(TyposFilter(), *case)


# one filter for every example: its memo of each step's edits per line fills up as they run
_SHARED_TYPOS = TyposFilter()


@settings(max_examples=400)
@given(typo_texts(), st.booleans())
@example(("see Kyiv.The\n", []), True)  # glued before a newline, but not at the very end
@example(("the the\nthe the\nteh\n", []), False)  # a line twice in one text
def test_a_memoised_step_gives_what_the_step_gives_on_the_whole_text(case, final_newline):
    """Each step of the typos filter, looked up line by line in a memo shared by many
    texts, proposes the same edits as the step itself on the whole text."""
    text = case[0] if final_newline else case[0].rstrip("\n")
    f = _SHARED_TYPOS
    raw = {"glued": f.glued, "words": f.words, "doubled": f.doubled}
    for step in f.steps():
        for t in (text, text):  # the second time from the memo
            got = resolve(list(step(t, None)), len(t))
            assert got == resolve(list(raw[step.__name__](t, None)), len(t)), t
    assert len(f._memos["words"]) > 0


def test_a_memo_starts_afresh_past_its_size_and_a_huge_text_is_read_as_it_is():
    memo = local.LineMemo(max_chars=10)
    calls = []

    def step(text, doc=None):
        calls.append(text)
        return [Edit(i, i + 2, "!", "bang", "one") for i in range(len(text)) if text.startswith("!!", i)]

    run = local.line_local(step, memo)
    assert [(e.start, e.end) for e in run("a!!\nb\n", None)] == [(1, 3)]
    assert calls == ["a!!\nb\n"] and len(memo) == 2
    assert [(e.start, e.end) for e in run("b\na!!", None)] == [(3, 5)]  # "a!!" last, no newline: read
    assert calls[-1] == "a!!" and memo.chars == 9
    run("c\nd\n", None)
    assert memo.chars == 13
    run("e\n", None)  # past 10 characters: the memo starts afresh, then reads "e"
    assert memo.chars == 2 and len(memo) == 1
    big = "x!!\n" * 4
    assert len(run(big, None)) == 4 and calls[-1] == big and len(memo) == 1


# -- the encoding filter reads only the changed lines when that is exact ------------------

_PIECES = ["caf\u00c3\u00a9", "&amp;", "&lt;b&gt;", "<b>", "\u00e2\u20ac\u201d", "ok", "\x1b[31m", "\x85",
           "se\u00c3\u00b1or", "\ud83d", "plain words", "\u00c3", "&eacute;t&eacute;", "\u00e9"]


@st.composite
def encoding_texts(draw):
    lines = draw(st.lists(st.lists(st.sampled_from(_PIECES), max_size=5), min_size=1, max_size=6))
    text = "\n".join(" ".join(ws) for ws in lines) + "\n"
    changes = draw(st.lists(st.tuples(st.integers(0, len(text)), st.integers(0, 6), st.sampled_from(_PIECES + ["\n", ""])),
                            max_size=4))
    return text, changes


@settings(max_examples=300)
@given(encoding_texts())
@example(("ok\n<b> ok\n", [(0, 0, "&amp;")]))  # a "<" on a later line: entities are left alone
@example(("&amp; ok\nok\n", [(8, 0, "<b>")]))  # a "<" put in: the line before is read again
@example(("ok <b>\n&amp;\n", [(3, 3, "")]))  # the "<" gone: the entity on the next line is decoded now
def test_encoding_on_the_changed_lines_equals_encoding_on_the_whole_text(case):
    from cleanarticle.filters.encoding import EncodingFilter

    _settle_matches_a_whole_run(EncodingFilter(), *case)


@settings(max_examples=150)
@given(encoding_texts())
@example(("ok <b>\n&amp;\n", [(3, 3, "")]))
@example(("ok\nok\n", [(3, 0, "caf\u00c3\u00a9 ")]))  # mojibake put on the second line
def test_a_text_too_long_for_the_memo_is_read_on_its_changed_lines(case):
    """Over the memo's size the encoding filter plans the changed lines without it: the same edits."""
    from cleanarticle.filters.encoding import EncodingFilter

    f = EncodingFilter()
    f._memo.max_chars = -1
    _settle_matches_a_whole_run(f, *case)
    assert len(f._memo) == 0


_SHARED_ENCODING = None


@settings(max_examples=400)
@given(encoding_texts(), st.booleans())
@example(("caf\u00c3\u00a9 ok\ncaf\u00c3\u00a9 ok\n", []), False)  # a line twice, and last without a newline
def test_memoised_encoding_plans_give_what_a_plan_of_the_whole_text_gives(case, final_newline):
    """Each pass of the encoding filter, with its lines planned through a memo shared by
    many texts, proposes what the plan of the whole text (no memo) proposes."""
    from cleanarticle.filters.encoding import EncodingFilter

    global _SHARED_ENCODING
    if _SHARED_ENCODING is None:
        _SHARED_ENCODING = EncodingFilter()
    whole = EncodingFilter()
    whole._memo.max_chars = -1  # every text is over it: planned whole
    text = case[0] if final_newline else case[0].rstrip("\n")
    for _ in range(2):  # the second time from the memo
        got, ref = EditLog(text), EditLog(text)
        for step, ref_step in zip(_SHARED_ENCODING.steps(), whole.steps()):
            a, b = list(step(got.text, None)), list(ref_step(ref.text, None))
            assert resolve(a, len(got.text)) == resolve(b, len(ref.text)), text
            got.apply("encoding", a)
            ref.apply("encoding", b)
        assert got.text == ref.text == whole.fix_text(text)


_SPACED = ["Kyiv", "said.", "the", " ", "  ", "\n", "\n\n", "\n\n\n", "\u00a0", "\t", "e\u0301", "\u0301", "\u200b",
           "caf\u00e9", "\r\n", "x"]


@st.composite
def spaced_texts(draw):
    text = "".join(draw(st.lists(st.sampled_from(_SPACED), min_size=1, max_size=12)))
    changes = draw(st.lists(st.tuples(st.integers(0, len(text)), st.integers(0, 4), st.sampled_from(_SPACED + [""])),
                            max_size=3))
    return text, changes


@settings(max_examples=500)
@given(spaced_texts())
@example(("a.\nb\nc\nd\n", [(4, 0, ".")]))  # a line now ends a sentence: each line is a paragraph
@example(("a.\nb.\nc\nd\ne\nf\n", [(8, 4, "")]))  # two lines gone: now most lines end a sentence
@example(("a b c\n", [(2, 1, "")]))  # a word gone between two spaces
@example(("Kiev said\n", [(0, 4, "Kyiv")]))  # the first word
@example(("said Kiev\n", [(5, 4, "Kyiv")]))  # the last word of the line
def test_whitespace_skips_a_settle_round_only_when_a_whole_run_finds_nothing(case):
    from cleanarticle.filters.whitespace import WhitespaceFilter

    _settle_matches_a_whole_run(WhitespaceFilter(), *case)


# -- the pipeline gives the same result with and without the shortcut -------------------

def _documents() -> list[str]:
    docs = [p.read_text(encoding="utf-8") for p in sorted((HERE.parent / "seeds").glob("*.txt"))]
    docs += [p.read_text(encoding="utf-8") for p in sorted((HERE / "data" / "boilerplate" / "pages").glob("*.txt"))]
    docs.append("Protesters gathered in Kiev on Monday. Teh the council said the the city.The mayor of Kiev\n"
                "agreed, and the ukrainian minister recieved them [sic] in Kharkov.\n\nKiev is calm.\n")
    docs.append("The caf\u00c3\u00a9 in Kiev was full &amp; loud on Monday, said the the owner.\n\n"
                "Prices rose in Kharkov\u00e2\u20ac\u201dagain &mdash; and the <b>mayor</b> of Kiev said so.\n")
    return docs


def _result(text: str) -> tuple:
    r = Pipeline.default().run(text)
    return r.text, [c.to_dict() for c in r.changes], r.metadata


def test_the_default_pipeline_gives_the_same_result_as_with_whole_text_runs(monkeypatch):
    from cleanarticle.filters.encoding import EncodingFilter

    docs = _documents()
    fast = [_result(d) for d in docs]
    monkeypatch.setattr(local, "_in_windows", lambda step, text, doc, spans: step(text, doc))
    monkeypatch.setattr(local, "_memoised", lambda step, text, spans, memo: list(step(text, None)))
    monkeypatch.setattr(EncodingFilter, "_plan_lines", lambda self, text, wins: self._plan(text))
    slow = [_result(d) for d in docs]
    assert fast == slow
    assert any(c["filter"] == "typos" for _, changes, _ in fast for c in changes)


def test_overrides_see_every_proposal():
    """With a reviewer's overrides for a filter, its steps are shown no changed spans."""
    from cleanarticle.pipeline import Document

    seen = []

    class Spy:
        name = "spy"
        reads_changed = True

        def propose(self, text, doc):
            seen.append(doc.changed)
            return []

    class Keep:
        filters = {"spy"}

        def drop(self, name, edits, log, meta):
            return edits

    doc = Document({}, {})
    doc._changed["spy"] = [(0, 1)]
    Pipeline._run_one(Spy(), EditLog("abc\n"), doc, Keep())
    Pipeline._run_one(Spy(), EditLog("abc\n"), doc, None)
    assert seen == [None, [(0, 1)]]


@pytest.mark.parametrize("text", ["", "\n", "one line", "a\n\nb\n"])
def test_windows_of_no_change_is_nothing(text):
    assert local.windows(text, []) == []


def test_only_a_filter_that_reads_them_gets_changed_spans():
    from cleanarticle.pipeline import Document

    seen = []

    class Plain:
        name = "plain"

        def propose(self, text, doc):
            seen.append(doc.changed)
            return [Edit(0, 1, "A", "up", "")] if text[:1] == "a" else []

    doc = Document({}, {})
    log = EditLog("abc\n")
    Pipeline._run_one(Plain(), log, doc, None)
    Pipeline._run_one(Plain(), log, doc, None)
    assert seen == [None, None] and "plain" not in doc._changed


def test_windows_read_from_the_memo_give_only_their_lines_items():
    """A settle round whose every line was read before with nothing on it gets nothing
    from one lookup a line; a line outside the windows that has something is still not
    read (the windows decide, as without the shortcut), nor is a line never read."""

    def bang(text, doc=None):
        return [Edit(i, i + 2, "!", "bang", "one is enough") for i in range(len(text)) if text.startswith("!!", i)]

    memo = local.LineMemo()
    step = local.line_local(bang, memo)

    class Doc:
        changed = [(1, 2)]

    quiet = "Stop.\nWait.\nGo."
    assert list(step(quiet, None)) == []  # every line read: nothing anywhere
    assert list(step(quiet, Doc())) == []
    loud = "Stop.\nWait!!\nGo."  # "Wait!!" has something, outside the window of "Stop."
    assert [e.start for e in step(loud, None)] == [10]
    assert list(step(loud, Doc())) == []
    fresh = "Stop.\nNew!!\nGo."  # a line never read, outside the window
    assert list(step(fresh, Doc())) == []
    Doc.changed = [(7, 8)]
    assert [e.start for e in step(fresh, Doc())] == [9]
    assert [e.start for e in step(loud, Doc())] == [10]  # a line read before, with something
