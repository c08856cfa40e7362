"""The edit engine: resolution of one filter's proposals and composition across filters."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from _rounds import apply_rounds, batches, round_edits
from cleanarticle.edits import Change, Edit, EditLog, changes_from_jsonl, changes_to_jsonl, resolve, restore


def check(log: EditLog) -> list[Change]:
    """Every change must point at its before in the original and its after in the output."""
    changes = log.changes()
    for c in changes:
        assert log.original[c.start:c.end] == c.before
        assert log.text[c.out_start:c.out_end] == c.after
    starts = [(c.start, c.end) for c in changes]
    assert starts == sorted(starts)
    assert restore(log.text, changes) == log.original
    return changes


def test_single_edit_offsets():
    log = EditLog("abc def ghi")
    log.apply("f", [Edit(4, 7, "XY", "r", "why")])
    assert log.text == "abc XY ghi"
    (c,) = check(log)
    assert (c.start, c.end, c.out_start, c.out_end, c.before, c.after) == (4, 7, 4, 6, "def", "XY")
    assert (c.filter, c.rule, c.reason) == ("f", "r", "why")


def test_resolve_longer_span_wins_at_same_start():
    kept = resolve([Edit(0, 2, "x", "word", ""), Edit(0, 5, "", "para", "")], 10)
    assert [e.rule for e in kept] == ["para"]


def test_resolve_earlier_start_wins_on_overlap():
    kept = resolve([Edit(3, 6, "", "b", ""), Edit(1, 4, "", "a", "")], 10)
    assert [e.rule for e in kept] == ["a"]


def test_resolve_is_order_independent():
    edits = [Edit(0, 3, "", "a", ""), Edit(2, 5, "", "b", ""), Edit(5, 6, "z", "c", ""), Edit(5, 5, "i", "d", "")]
    assert resolve(edits, 10) == resolve(list(reversed(edits)), 10)


def test_resolve_two_insertions_at_one_point_keeps_one():
    kept = resolve([Edit(2, 2, "y", "b", ""), Edit(2, 2, "x", "a", "")], 5)
    assert [e.replacement for e in kept] == ["x"]


def test_resolve_adjacent_edits_both_kept():
    kept = resolve([Edit(0, 2, "", "a", ""), Edit(2, 4, "", "b", "")], 5)
    assert len(kept) == 2


def test_resolve_rejects_out_of_range():
    with pytest.raises(ValueError):
        resolve([Edit(3, 9, "", "a", "")], 5)


def test_adjacent_edits_from_two_filters_stay_separate():
    log = EditLog("Kiev\u2019s")
    log.apply("encoding", [Edit(4, 5, "'", "quote", "")])
    log.apply("translit", [Edit(0, 4, "Kyiv", "place", "")])
    assert log.text == "Kyiv's"
    changes = check(log)
    assert [c.filter for c in changes] == ["translit", "encoding"]


def test_second_filter_inside_first_change_merges_and_keeps_history():
    log = EditLog("a  b  c")
    log.apply("ws", [Edit(1, 3, " ", "space", "collapse")])
    assert log.text == "a b  c"
    log.apply("boiler", [Edit(0, 3, "", "drop", "junk")])  # covers the earlier change
    assert log.text == "  c"
    (c,) = check(log)
    assert (c.filter, c.rule, c.start, c.end, c.before) == ("boiler", "drop", 0, 4, "a  b")
    assert c.subsumes == ({"filter": "ws", "rule": "space", "reason": "collapse", "after": " "},)


def test_edit_spanning_an_earlier_deletion_point_merges():
    log = EditLog("one XX two")
    log.apply("a", [Edit(4, 7, "", "del", "")])  # "one two"
    log.apply("b", [Edit(2, 5, "#", "rep", "")])  # "e t" contains the deletion point
    assert log.text == "on#wo"
    (c,) = check(log)
    assert c.before == "e XX t" and c.after == "#"


def test_edit_ending_at_deletion_point_does_not_merge():
    log = EditLog("one XX two")
    log.apply("a", [Edit(4, 7, "", "del", "")])
    log.apply("b", [Edit(0, 4, "ONE ", "up", "")])
    assert log.text == "ONE two"
    assert [c.filter for c in check(log)] == ["b", "a"]


def test_edit_starting_at_deletion_point_does_not_merge():
    log = EditLog("one XX two")
    log.apply("a", [Edit(4, 7, "", "del", "")])
    log.apply("b", [Edit(4, 7, "TWO", "up", "")])
    assert log.text == "one TWO"
    assert [c.filter for c in check(log)] == ["a", "b"]


def test_insertion_after_an_insertion_keeps_text_order():
    log = EditLog("ab")
    log.apply("a", [Edit(1, 1, "X", "ins", "")])
    log.apply("b", [Edit(2, 2, "Y", "ins", "")])  # right after X
    log.apply("c", [Edit(1, 1, "W", "ins", "")])  # right before X
    assert log.text == "aWXYb"
    assert [c.after for c in check(log)] == ["W", "X", "Y"]


def test_edit_that_reverts_an_earlier_change_leaves_no_change():
    log = EditLog("colour")
    log.apply("a", [Edit(0, 6, "color", "us", "")])
    log.apply("b", [Edit(0, 5, "colour", "uk", "")])
    assert log.text == "colour"
    assert check(log) == []


def test_noop_edits_are_not_logged():
    log = EditLog("same")
    assert log.apply("a", [Edit(0, 4, "same", "r", "")]) == 0
    assert log.changes() == []


def test_restore_rejects_a_log_that_does_not_fit():
    log = EditLog("a  b")
    log.apply("ws", [Edit(1, 3, " ", "space", "")])
    with pytest.raises(ValueError, match="does not match"):
        restore("a_b", log.changes())


def test_jsonl_round_trip_and_key_order():
    log = EditLog("x \u00e9\u2019 \U0001F600 y")
    log.apply("f", [Edit(0, 1, "", "r", "reason", 0.5)])
    text = changes_to_jsonl(log.changes())
    assert text.splitlines()[0].startswith('{"filter": "f", "rule": "r", "start": 0, "end": 1, "out_start": 0')
    assert changes_from_jsonl(text) == log.changes()


def test_jsonl_rejects_garbage_with_line_number():
    with pytest.raises(ValueError, match="line 2"):
        changes_from_jsonl('{"filter":"f","rule":"r","start":0,"end":0,"out_start":0,"out_end":0,'
                           '"before":"","after":""}\nnot json\n')


@given(batches())
def test_composition_matches_naive_application(case):
    """Whatever the rounds, the log rebuilds the input and its offsets are right."""
    text, rounds = case
    log = EditLog(text)
    naive = text
    for i, raw in enumerate(rounds):
        kept = round_edits(raw, len(log.text))
        for e in reversed(kept):
            naive = naive[:e.start] + e.replacement + naive[e.end:]
        log.apply(f"f{i}", kept, resolved=True)
        assert log.text == naive
    check(log)


def _touched(spans, p):
    """Is position ``p`` of a text inside a span, or at an empty span's point?"""
    return any(a <= p < b or a == b == p for a, b in spans)


@given(batches())
def test_carried_spans_cover_every_changed_place(case):
    """After rounds of edits, each position outside the carried spans holds a character
    of the first text that no edit touched, and the next such position holds the next
    character: what the spans leave out is the old text, unchanged, in order."""
    text, rounds = case
    log, spans, origin = apply_rounds(text, rounds)
    assert spans == sorted(spans) and all(a <= b for a, b in spans)
    assert all(b1 < a2 for (_, b1), (a2, _) in zip(spans, spans[1:]))  # disjoint, not touching
    free = [p for p in range(len(log.text)) if not _touched(spans, p)]
    assert all(origin[p] >= 0 and log.text[p] == text[origin[p]] for p in free)
    # two untouched neighbours were neighbours before: no deletion hides between them
    assert all(origin[q] == origin[p] + 1 for p, q in zip(free, free[1:]) if q == p + 1)


def test_carry_many_moves_each_list_as_carry_spans_does():
    """The pipeline moves every filter's changed spans through one step's edits at once:
    each list comes out as :func:`carry_spans` gives it alone (edits at the start, inside,
    touching and past the spans, and an empty list)."""
    import random

    from cleanarticle.edits import carry_many, carry_spans

    rng = random.Random(3)
    for _ in range(2000):
        n = rng.randint(0, 40)
        edits, at = [], 0
        while at < n and rng.random() < 0.7:
            s = rng.randint(at, n)
            e = rng.randint(s, min(n, s + 5))
            edits.append(Edit(s, e, "x" * rng.randint(0, 4), "r", "why"))
            at = e + 1
        lists = []
        for _ in range(rng.randint(0, 3)):
            points = sorted(rng.randint(0, n) for _ in range(2 * rng.randint(0, 3)))
            lists.append(list(zip(points[::2], points[1::2])))
        assert carry_many(lists, edits) == [carry_spans(s, edits) for s in lists]
