"""Random texts edited in rounds, for the edit-log and changed-span tests."""

from __future__ import annotations

from hypothesis import strategies as st

from cleanarticle.edits import Edit, EditLog, carry_spans, resolve


@st.composite
def batches(draw, max_text: int = 30):
    """A text and several rounds of random (possibly overlapping) edits."""
    text = draw(st.text(alphabet="ab \n", max_size=max_text))
    rounds = draw(st.lists(st.lists(st.tuples(st.integers(0, max_text + 10), st.integers(0, 6),
                                              st.text(alphabet="XY\n ", max_size=3)), max_size=6),
                           min_size=1, max_size=4))
    return text, rounds


def round_edits(raw, n: int) -> list[Edit]:
    """One round's edits, clipped to a text of length ``n`` and resolved."""
    return resolve([Edit(min(s, n), min(s + ln, n), rep, f"r{k}", "") for k, (s, ln, rep) in enumerate(raw)], n)


def apply_rounds(text: str, rounds) -> tuple[EditLog, list[tuple[int, int]], list[int]]:
    """The log after every round, the changed spans carried through them, and where each
    character of the final text came from (its offset in ``text``, or -1: an edit made it)."""
    log = EditLog(text)
    spans: list[tuple[int, int]] = []
    origin = list(range(len(text)))
    for raw in rounds:
        if not log.apply("f", round_edits(raw, len(log.text)), resolved=True):
            continue
        spans = carry_spans(spans, log.applied)
        for e in reversed(log.applied):
            origin[e.start:e.end] = [-1] * len(e.replacement)
        assert len(origin) == len(log.text)
    return log, spans, origin
