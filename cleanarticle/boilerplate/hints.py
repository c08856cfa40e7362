"""Cheap exact pre-checks for the phrase-family regexes.

A phrase family's regex (case-insensitive, many alternatives, most starting with
``\\b``) costs tens of microseconds per line, and almost every line matches none.
:func:`hint` reads the regex's parse tree once and finds strings of which at least
one must occur in any match (literal runs every alternative needs, ``(a|b|c)`` as
"one of"); :func:`fold` maps a line to the form those strings are looked up in. A
line whose folded text contains none of them cannot match, so the regex is skipped;
otherwise the regex decides. The pre-check only ever skips a regex that would fail,
so results are the same as searching every line. :class:`HintIndex` looks for the
hint strings of all families in one scan of the line; it also knows the shortest and
longest match of a pattern anchored at both ends (``^(home|menu|...)$``): a line of
another length is no candidate for it (:func:`anchored_width`).

Only ASCII and uncased characters (such as ``©``) are used: under ``re.IGNORECASE``
an ASCII letter also matches a few non-ASCII letters (the Kelvin sign for ``k``, the
long s for ``s``...), and :func:`fold` maps those to the ASCII letter before
lower-casing; an uncased character matches only itself.

>>> import re
>>> h = hint(re.compile(r"\\bsign(ing)? up\\b|\\b(accept|reject) all\\b", re.IGNORECASE))
>>> h
('accept', 'reject', 'sign')
>>> any(s in fold("Sign UP today") for s in h), any(s in fold("Sing along") for s in h)
(True, False)
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache

__all__ = ["hint", "HintIndex", "fold", "refers_back", "anchored_width"]

if sys.version_info >= (3, 11):
    from re import _constants as _c
    from re import _parser as _p
else:  # pragma: no cover - exercised on 3.10 only
    import sre_constants as _c
    import sre_parse as _p

_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT}
if hasattr(_c, "POSSESSIVE_REPEAT"):
    _REPEATS.add(_c.POSSESSIVE_REPEAT)


def _fold_table() -> dict[int, str]:
    """Non-ASCII characters that an ASCII character matches under ``re.IGNORECASE``.

    Case mappings into ASCII only come from the Basic Multilingual Plane (the Kelvin
    sign, the long s, the dotted and dotless i), so scanning it is enough.
    """
    bmp = "".join(chr(c) for c in range(128, 0x10000) if not 0xD800 <= c <= 0xDFFF)
    table: dict[int, str] = {}
    for code in range(32, 127):
        c = chr(code)
        for ch in set(re.findall(re.escape(c), bmp, re.IGNORECASE)):
            table[ord(ch)] = c.lower()
    return table


_FOLD: tuple[dict[int, str], re.Pattern[str]] | None = None  # the table and a class of its keys


def _fold_state() -> tuple[dict[int, str], re.Pattern[str]]:
    global _FOLD
    if _FOLD is None:
        table = _fold_table()
        _FOLD = table, re.compile("[" + "".join(map(re.escape, map(chr, sorted(table)))) + "]")
    return _FOLD


def fold(text: str) -> str:
    """``text`` lower-cased, non-ASCII case variants of ASCII letters made ASCII."""
    if text.isascii():
        return text.lower()
    table, special = _fold_state()
    if special.search(text) is None:  # most non-ASCII text has none of them
        return text.lower()
    return text.translate(table).lower()


def _uncased(ch: str) -> bool:
    """A character with no case variants (©, ·, digits of other scripts...): under
    ``re.IGNORECASE`` it matches only itself, and :func:`fold` leaves it as it is."""
    return ch.lower() == ch == ch.upper() and ch.casefold() == ch and ord(ch) not in _fold_state()[0]


def _need(seq) -> frozenset[str] | None:
    """Strings one of which every match of the sequence ``seq`` contains (None: no such set)."""
    best: frozenset[str] | None = None

    def better(cond: frozenset[str] | None) -> None:
        nonlocal best
        if cond and (best is None or min(map(len, cond)) > min(map(len, best))):
            best = cond

    run: list[str] = []
    for op, av in seq:
        if op == _c.LITERAL and (av < 128 or _uncased(chr(av))):
            run.append(chr(av).lower())
            continue
        if run:
            better(frozenset({"".join(run)}))
            run = []
        if op == _c.SUBPATTERN:
            better(_need(av[-1]))
        elif op == _c.BRANCH:
            alts = [_need(a) for a in av[1]]
            if all(a is not None for a in alts):
                better(frozenset().union(*alts))
        elif op in _REPEATS and av[0] >= 1:
            better(_need(av[2]))
        elif getattr(_c, "ATOMIC_GROUP", None) is not None and op == _c.ATOMIC_GROUP:
            better(_need(av))
    if run:
        better(frozenset({"".join(run)}))
    return best


def _tree(regex: re.Pattern[str]):
    """The parse tree of ``regex``, or None (an unreadable tree only costs a shortcut)."""
    try:
        return _p.parse(regex.pattern, regex.flags)
    except Exception:  # noqa: BLE001
        return None


@lru_cache(maxsize=None)
def hint(regex: re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings (lower-case ASCII or uncased characters) one of which occurs in the :func:`fold` of any text
    ``regex`` matches; None when the regex has no such strings (always search it)."""
    tree = _tree(regex)
    need = _need(tree) if tree is not None else None
    return tuple(sorted(need)) if need else None


def refers_back(regex: re.Pattern[str]) -> bool:
    """Does ``regex`` hold a backreference (``\\1``, ``(?P=name)``, ``(?(1)...)``)?

    >>> refers_back(re.compile(r"(a)\\1")), refers_back(re.compile(r"(a)b"))
    (True, False)
    """
    tree = _tree(regex)
    if tree is None:
        return True
    refs = {_c.GROUPREF, _c.GROUPREF_EXISTS, getattr(_c, "GROUPREF_IGNORE", _c.GROUPREF)}

    def walk(node) -> bool:  # a sequence of (op, argument), arguments nest sequences
        if isinstance(node, _p.SubPattern):
            return any(op in refs or walk(av) for op, av in node)
        return isinstance(node, (list, tuple)) and any(map(walk, node))

    return walk(tree)


_STARTS = (_c.AT_BEGINNING, _c.AT_BEGINNING_STRING)
_ENDS = (_c.AT_END, _c.AT_END_STRING)


@lru_cache(maxsize=None)
def anchored_width(regex: re.Pattern[str]) -> tuple[int, int] | None:
    """For a regex anchored at both ends (``^...$``, not multi-line): the shortest and
    longest text without a newline it can match, else None. A line whose length is out of
    that range cannot match.

    >>> anchored_width(re.compile(r"^(home|menu|log ?in)$", re.I)), anchored_width(re.compile(r"\\bhome$"))
    ((4, 6), None)
    """
    tree = _tree(regex)
    if tree is None or regex.flags & re.MULTILINE:
        return None
    seq = list(tree)
    while len(seq) == 1 and seq[0][0] == _c.SUBPATTERN:  # (?:...) around the whole
        _, add, _, sub = seq[0][1]
        if add & re.MULTILINE:
            return None
        seq = list(sub)
    if len(seq) < 2 or seq[0] not in [(_c.AT, a) for a in _STARTS] or seq[-1] not in [(_c.AT, e) for e in _ENDS]:
        return None
    lo, hi = tree.getwidth()
    return lo, hi


class HintIndex:
    """Which of several regexes could match a text, from all their hints at once.

    Every hint string of every regex goes into one Aho-Corasick automaton
    (``pyahocorasick``), valued with the bits of the regexes it belongs to. One scan of
    a line's :func:`fold` finds every occurrence of every hint, overlapping and nested
    ones included ("sign" inside "signing"), so :meth:`candidates` has bit ``i`` set
    exactly when a hint of regex ``i`` occurs (or regex ``i`` has no hint). It replaces
    a search per regex and costs about as much as one.

    >>> idx = HintIndex([re.compile(r"\\bsign up\\b", re.I), re.compile(r"cookies?", re.I)])
    >>> idx.candidates(fold("SIGN UP for cookies")), idx.candidates(fold("Cookie jar")), idx.candidates("sign")
    (3, 2, 0)
    """

    __slots__ = ("always", "_automaton", "_widths")

    def __init__(self, regexes) -> None:
        self.always = 0  # regexes without hints: always candidates
        bits: dict[str, int] = {}
        # the regexes anchored at both ends: (bit, shortest, longest match)
        self._widths = tuple((1 << i, *w) for i, rx in enumerate(regexes) if (w := anchored_width(rx)) is not None)
        for i, rx in enumerate(regexes):
            need = hint(rx)
            if not need:
                self.always |= 1 << i
                continue
            for s in need:
                bits[s] = bits.get(s, 0) | 1 << i
        self._automaton = None
        if bits:
            import ahocorasick

            automaton = ahocorasick.Automaton()
            for s, b in sorted(bits.items()):
                automaton.add_word(s, b)
            automaton.make_automaton()
            self._automaton = automaton

    def candidates(self, folded: str, length: int | None = None) -> int:
        """Bit mask of the regexes that may match the text whose :func:`fold` is ``folded``;
        ``length``: the text's length, if it has no newline (a regex anchored at both
        ends whose matches are all shorter or longer is then no candidate)."""
        mask = self.always
        if self._automaton is not None:
            for _, b in self._automaton.iter(folded):
                mask |= b
        if length is not None and mask:
            for bit, lo, hi in self._widths:
                if mask & bit and not lo <= length <= hi:
                    mask ^= bit
        return mask
