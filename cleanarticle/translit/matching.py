"""One-pass matching: every known spelling compiled into one trie-shaped regex.

The alternation is factored by common prefixes (a trie), so the engine does a
few character comparisons per position whatever the number of entities, and its
first-character set lets it skip every position that cannot start a name (names
start with a capital). Only whole words match: a letter or digit on either side
rejects the match; a hyphen does not (``Kiev-based``, ``pro-Kiev``).

>>> rx = trie_regex(["Kiev", "Kievan Rus", "Kharkov"])
>>> [m.group() for m in rx.finditer("Kiev, Kievan Rus, Kharkov-based, Kievskaya")]
['Kiev', 'Kievan Rus', 'Kharkov']
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

__all__ = ["trie_regex", "case_forms", "apply_case", "in_protected_token", "TokenGuard", "SKELETON"]

_SPACE = r"\s+"
_APOS = "['\u2019\u02bc]"


def _atom(ch: str) -> str:
    if ch == " ":
        return _SPACE
    if ch == "'":
        return _APOS
    return re.escape(ch)


def _trie(words: Iterable[str]) -> dict:
    root: dict = {}
    for w in words:
        node = root
        for ch in w.replace("\u2019", "'").replace("\u02bc", "'"):
            node = node.setdefault(ch, {})
        node[""] = {}
    return root


def _pattern(node: dict) -> str:
    alts = []
    for ch in sorted(k for k in node if k):
        alts.append(_atom(ch) + _pattern(node[ch]))
    if "" in node:
        alts.append("")  # ending here is tried last: longer spellings win
    if len(alts) == 1:
        return alts[0]
    return "(?:" + "|".join(alts) + ")"


def trie_regex(words: Iterable[str]) -> re.Pattern[str]:
    """Compile ``words`` (exact case) into one whole-word regex; empty list matches nothing."""
    words = sorted(set(w for w in words if w))
    if not words:
        return re.compile(r"(?!x)x")
    return re.compile(_pattern(_trie(words)) + r"(?![\w])")


def case_forms(form: str) -> list[str]:
    """The case variants matched for a spelling: as written, ALL CAPS, and with a
    capital first letter (sentence start) when it is written in lower case."""
    out = [form, form.upper()]
    if form[:1].islower():
        out.append(form[0].upper() + form[1:])
    return out


_WS = re.compile(r"(\s+)")


def apply_case(matched: str, target: str) -> str:
    r"""Write ``target`` in the case of ``matched``: ALL CAPS stays ALL CAPS, and
    the whitespace between the words of a name is kept as it was.

    >>> apply_case("KIEV", "Kyiv"), apply_case("Kiev", "Kyiv")
    ('KYIV', 'Kyiv')
    >>> apply_case("Oleg\nSinegubov", "Oleh Syniehubov")
    'Oleh\nSyniehubov'
    """
    key = (matched, target)
    out = _CASED.get(key)
    if out is None:
        out = _apply_case(matched, target)
        if len(_CASED) >= 8192:
            _CASED.clear()
        _CASED[key] = out
    return out


_CASED: dict[tuple[str, str], str] = {}  # apply_case's answers: a text names few spellings


def _apply_case(matched: str, target: str) -> str:
    if matched.isupper() and len(matched) > 1:
        target = target.upper()
    elif matched[:1].isupper() and target[:1].islower():
        target = target[0].upper() + target[1:]
    if " " in target or not matched.isprintable():
        src = _WS.split(matched)
        words = target.split(" ")
        if len(src) == 2 * len(words) - 1:
            src[0::2] = words
            return "".join(src)
    return target


_DOMAIN = re.compile(r"[^\W_][\w-]{0,62}(?:\.[^\W_][\w-]{0,62}){1,8}(?:/|$)")
_OPEN = "(\"'“‘«["
_CLOSE = ",;:!?.)\"'”’»]"
_EDGE = "\"'“”‘’«»()[]{}<>,;:!?*"


def in_protected_token(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` part of a URL, e-mail address, hashtag or mention?

    >>> in_protected_token("see www.kiev.ua/Kiev now", 16, 20), in_protected_token("in Kiev.", 3, 7)
    (True, False)
    """
    return TokenGuard(text).protected(start, end)


class TokenGuard:
    """:func:`in_protected_token` for many spans of one text, in increasing order.

    Looks only at the whitespace-delimited token around a span (at most 300
    characters each way) and reuses the verdict for later spans in the same
    token, so the cost stays linear however many names a long token holds.
    """

    __slots__ = ("text", "_lo", "_hi", "_verdict")

    def __init__(self, text: str) -> None:
        self.text = text
        self._lo = self._hi = -1
        self._verdict = False

    def protected(self, start: int, end: int) -> bool:
        text = self.text
        if start and text[start - 1] in "#@\\_.=":
            return True
        after = text[end:end + 2]
        if after[:1] in ("@", "_") or (after[:1] == "." and after[1:2].isalnum()):
            return True
        before = text[start - 1] if start else " "
        nxt = after[:1] or " "
        if (before.isspace() or before in _OPEN) and (
                nxt.isspace() or (nxt in _CLOSE and (after[1:2] or " ").isspace())):
            return False  # the token is the name with at most punctuation around it
        if not (self._lo <= start and end <= self._hi):
            self._token(start, end)
        return self._verdict

    def _token(self, start: int, end: int) -> None:
        text = self.text
        lo = start
        floor = max(0, start - 300)
        while lo > floor and not text[lo - 1].isspace():
            lo -= 1
        hi = end
        ceil = min(len(text), end + 300)
        while hi < ceil and not text[hi].isspace():
            hi += 1
        tok = text[lo:hi].strip(_EDGE)
        low = tok.lower()
        self._verdict = bool("://" in tok or "@" in tok or low.startswith("www.") or tok.startswith(("#", "/"))
                             or _DOMAIN.match(tok.rstrip(".")))
        self._lo, self._hi = lo, hi


# Romanization-neutral key for fuzzy comparison: the letters on which Russian-style,
# Ukrainian and Belarusian spellings of one name differ are folded together.
_SKELETON_STEPS = (
    ("shch", "Q"), ("kh", "h"), ("zh", "Z"), ("ts", "C"), ("ch", "C"), ("sh", "S"),
    ("yie", "e"), ("iye", "e"), ("ye", "e"), ("ie", "e"), ("yi", "i"), ("iy", "i"),
    ("yy", "i"), ("ii", "i"), ("yu", "u"), ("iu", "u"), ("ya", "a"), ("ia", "a"),
    ("yo", "o"), ("y", "i"), ("g", "h"), ("w", "v"), ("j", "i"), ("'", ""),
)


@lru_cache(maxsize=1 << 13)
def SKELETON(s: str) -> str:
    """``SKELETON("Syniehubov") == SKELETON("Sinegubov")`` (both ``"sinehubov"``)."""
    s = s.lower()
    for a, b in _SKELETON_STEPS:
        s = s.replace(a, b)
    return s
