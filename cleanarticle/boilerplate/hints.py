"""Cheap exact pre-checks for the phrase-family regexes.

A phrase family's regex (case-insensitive, many alternatives, most starting with
``\\b``) costs tens of microseconds per line, and almost every line matches none.
:func:`hint` reads the regex's parse tree once and finds strings of which at least
one must occur in any match (literal runs every alternative needs, ``(a|b|c)`` as
"one of"); :func:`fold` maps a line to the form those strings are looked up in. A
line whose folded text contains none of them cannot match, so the regex is skipped;
otherwise the regex decides. The pre-check only ever skips a regex that would fail,
so results are the same as searching every line. :class:`HintIndex` looks for the
hint strings of all families in one scan of the line.

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

__all__ = ["hint", "HintIndex", "fold"]

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


@lru_cache(maxsize=None)
def hint(regex: re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings (lower-case ASCII or uncased characters) one of which occurs in the :func:`fold` of any text
    ``regex`` matches; None when the regex has no such strings (always search it)."""
    try:
        tree = _p.parse(regex.pattern, regex.flags)
    except Exception:  # noqa: BLE001 - an unreadable tree only costs the shortcut
        return None
    need = _need(tree)
    return tuple(sorted(need)) if need else None


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

    __slots__ = ("always", "_automaton")

    def __init__(self, regexes) -> None:
        self.always = 0  # regexes without hints: always candidates
        bits: dict[str, int] = {}
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

    def candidates(self, folded: str) -> int:
        """Bit mask of the regexes that may match the text whose :func:`fold` is ``folded``."""
        mask = self.always
        if self._automaton is not None:
            for _, b in self._automaton.iter(folded):
                mask |= b
        return mask
