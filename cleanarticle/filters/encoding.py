"""The ``encoding`` filter: ftfy's repairs, one logged edit per repair.

Mojibake (UTF-8 read as cp1252 or latin-1, sometimes twice), HTML entities left
in plain text, C1 control characters, terminal escapes, stray control
characters and broken surrogates are repaired with ftfy. The output is always
identical to ``ftfy.fix_text(text, filter.config)``; what this filter adds is
the log: every repair is its own edit, its rule is the ftfy step that made it
(``fix_encoding``, ``unescape_html``, ``remove_control_chars``...), its span is
the exact characters it replaced, and its reason names the encodings involved.

How it stays fast and identical. ``ftfy.fix_text`` fixes a text line by line
(a "segment" is a line, or a 1,000,000-character chunk of a longer line) and a
segment that no fixer would touch comes back unchanged. We find the segments
that *can* change with two cheap scans and run ftfy (``fix_and_explain``) on
those only:

- ftfy's mojibake detector (``ftfy.badness.BADNESS_RE``) is a regular
  expression in which every alternative needs either two adjacent characters
  from its mojibake classes or one of a few lone markers (C1 controls, ``Ã``,
  ``Â``, ``Œ``). The screen is built from ftfy's own pattern at import time,
  so it follows ftfy upgrades, and a test proves it is a superset;
- every other fixer has a fixed trigger set (``&`` for entities, the control
  characters, surrogates...), also taken from ftfy's tables.

Defaults change encoding only, not style: ``uncurl_quotes``,
``fix_character_width`` and ``fix_latin_ligatures`` are off (curly quotes,
full-width CJK forms and ligatures are kept) and can be turned on as options.
Line breaks (``fix_line_breaks``) and Unicode normalisation (``normalization``)
are left to the ``whitespace`` filter, which already owns them; they can be
turned on here too (``normalization="NFC"``), and are then logged here.

>>> from cleanarticle import clean
>>> r = clean("The cafÃ© was crowded &amp; loud", filters=["encoding"])
>>> r.text
'The café was crowded & loud'
>>> [(c.rule, c.before, c.after) for c in r.changes]
[('fix_encoding', 'Ã©', 'é'), ('unescape_html', '&amp;', '&')]
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Any, Callable, Iterable, Iterator

import ftfy
from ftfy import chardata, fixes
from ftfy.badness import BADNESS_RE, is_bad

from ..edits import Edit
from . import BaseFilter
from .local import LineMemo, memo_items, nothing_anywhere, windows

__all__ = ["EncodingFilter", "DEFAULTS", "badness_screen", "trigger_chars"]

# Our defaults: ftfy's, minus the style changes, minus what `whitespace` owns.
DEFAULTS: dict[str, Any] = {
    "unescape_html": "auto",
    "remove_terminal_escapes": True,
    "fix_encoding": True,
    "restore_byte_a0": True,
    "replace_lossy_sequences": True,
    "decode_inconsistent_utf8": True,
    "fix_c1_controls": True,
    "fix_latin_ligatures": False,
    "fix_character_width": False,
    "uncurl_quotes": False,
    "fix_line_breaks": False,
    "fix_surrogates": True,
    "remove_control_chars": True,
    "normalization": None,
    "max_decode_length": 1_000_000,
}

_REASONS = {
    "unescape_html": "HTML entity or character reference decoded",
    "remove_terminal_escapes": "terminal colour/escape sequence removed",
    "fix_c1_controls": "C1 control character read as the windows-1252 character it stands for",
    "fix_latin_ligatures": "Latin ligature split into letters",
    "fix_character_width": "full-width or half-width form made normal width",
    "uncurl_quotes": "curly quote made straight",
    "fix_line_breaks": "line break normalised to \\n",
    "fix_surrogates": "UTF-16 surrogates joined or replaced",
    "remove_control_chars": "control character removed",
    "decode_inconsistent_utf8": "mojibake: UTF-8 sequences read as windows-1252 in otherwise good text, decoded",
    "restore_byte_a0": "mojibake: a non-breaking space byte had become a space",
    "replace_lossy_sequences": "mojibake: unrecoverable sequences replaced by U+FFFD",
}

_MAX_DIFF = 2000  # longest changed stretch we split into word-level hunks


# -- the screens ---------------------------------------------------------------

def _item_chars(op: Any, av: Any) -> set[int] | None:
    """Code points a single-character regex item can match, or None if not a plain set."""
    from re import _constants as C  # type: ignore[attr-defined]

    if op is C.LITERAL:
        return {av}
    if op is C.IN:
        out: set[int] = set()
        for o, a in av:
            if o is C.LITERAL:
                out.add(a)
            elif o is C.RANGE:
                out.update(range(a[0], a[1] + 1))
            else:  # NEGATE, CATEGORY: could match anything
                return None
        return out
    return None


def badness_screen(pattern: re.Pattern[str] = BADNESS_RE) -> re.Pattern[str] | None:
    """A fast regex that matches wherever ``pattern`` could match.

    Every alternative of ftfy's badness pattern must contain two adjacent
    items that only match non-ASCII characters (pair) or at least one such
    item (lone marker). The screen is ``[lone markers] | [firsts](?=[seconds])``.
    Returns None if some alternative has neither (then every segment with a
    non-ASCII character must be checked).
    """
    return _compile_screen(_screen_sets(pattern))


def _compile_screen(sets: tuple[set[int], set[int], set[int]] | None) -> re.Pattern[str] | None:
    if sets is None:
        return None
    lone, first, second = sets
    return re.compile(f"{_charclass(lone)}|{_charclass(first)}(?={_charclass(second)})")


def _screen_sets(pattern: re.Pattern[str]) -> tuple[set[int], set[int], set[int]] | None:
    """The lone markers, pair firsts and pair seconds of :func:`badness_screen`."""
    from re import _parser as P  # type: ignore[attr-defined]
    from re import _constants as C  # type: ignore[attr-defined]

    tree = P.parse(pattern.pattern, pattern.flags)
    if len(tree.data) != 1 or tree.data[0][0] is not C.BRANCH:
        branches = [tree]
    else:
        branches = tree.data[0][1][1]
    lone: set[int] = set()
    first: set[int] = set()
    second: set[int] = set()
    for branch in branches:
        items = [_item_chars(op, av) for op, av in branch.data]
        wide = [c is not None and bool(c) and min(c) >= 0x80 for c in items]
        pair = next((i for i in range(len(items) - 1) if wide[i] and wide[i + 1]), None)
        if pair is not None:
            first |= items[pair]  # type: ignore[operator]
            second |= items[pair + 1]  # type: ignore[operator]
        elif any(wide):
            lone |= items[wide.index(True)]  # type: ignore[operator]
        else:
            return None
    return lone, first, second


def _charclass(codes: Iterable[int]) -> str:
    return "[" + "".join(re.escape(chr(c)) for c in sorted(codes)) + "]"


def trigger_chars(config: ftfy.TextFixerConfig) -> set[int]:
    """Characters without which the fixers other than mojibake/entities never change a segment."""
    out: set[int] = set()
    if config.fix_c1_controls:
        out.update(range(0x80, 0xA0))
    if config.fix_latin_ligatures:
        out.update(chardata.LIGATURES)
    if config.fix_character_width:
        out.update(chardata.WIDTH_MAP)
    if config.uncurl_quotes:
        for rx in (chardata.SINGLE_QUOTE_RE, chardata.DOUBLE_QUOTE_RE):
            out |= _regex_chars(rx)
    if config.fix_line_breaks:
        out.update(map(ord, "\r\u2028\u2029\x85"))
    if config.fix_surrogates:
        out.update(range(0xD800, 0xE000))
    if config.remove_terminal_escapes:
        out.add(0x1B)
    if config.remove_control_chars:
        out.update(chardata.CONTROL_CHARS)
    return out


def _regex_chars(rx: re.Pattern[str]) -> set[int]:
    """All characters a one-character-class regex matches (used for ftfy's quote patterns)."""
    from re import _parser as P  # type: ignore[attr-defined]

    tree = P.parse(rx.pattern, rx.flags)
    out: set[int] = set()
    for op, av in tree.data:
        chars = _item_chars(op, av)
        if chars is None:
            raise ValueError(f"cannot enumerate {rx.pattern!r}")
        out |= chars
    return out


_SETS = _screen_sets(BADNESS_RE)
_BAD_SCREEN = _compile_screen(_SETS)
# where a screen match may start: one character class, which the regex engine scans far
# faster than the screen's alternatives (the screen searches on from its first hit)
_BAD_START = re.compile(_charclass(_SETS[0] | _SETS[1])) if _SETS is not None else None
_ANY_NON_ASCII = re.compile(r"[^\x00-\x7f]")


# -- explanations to repairs ----------------------------------------------------

Plan = list[tuple[str, str]]


def _repairs(plan: Plan) -> list[Plan]:
    """Group ftfy's explanation into text-to-text repairs (encode...decode is one)."""
    out: list[Plan] = []
    i = 0
    while i < len(plan):
        op = plan[i][0]
        if op == "encode":
            j = i + 1
            while j < len(plan) and plan[j][0] != "decode":
                j += 1
            out.append(list(plan[i:j + 1]))
            i = j + 1
        else:
            out.append([plan[i]])
            i += 1
    return out


def _apply(text: str, repair: Plan) -> str:
    op, arg = repair[0]
    if op == "normalize":
        return unicodedata.normalize(arg, text)
    return ftfy.apply_plan(text, repair)


def _describe(repair: Plan) -> tuple[str, str]:
    """Rule id and reason for one repair."""
    op, arg = repair[0]
    if op == "normalize":
        return "normalization", f"Unicode normalised to {arg}"
    if op in ("apply", "transcode"):
        return arg, _REASONS.get(arg, f"ftfy {arg}")
    # encode E, [transcode T...], decode D
    enc = arg
    dec = repair[-1][1] if repair[-1][0] == "decode" else "?"
    extra = [a for o, a in repair[1:-1] if o == "transcode"]
    how = f"re-encoded as {enc}" + "".join(f", {t}" for t in extra) + f", decoded as {dec}"
    if dec.startswith("utf-8"):
        reason = f"mojibake: UTF-8 text had been decoded as {enc.replace('sloppy-', '')}; {how}"
    else:
        reason = f"text decoded in the wrong single-byte encoding; {how}"
    return "fix_encoding", reason


def _sub_hunks(before: str, after: str, rx: re.Pattern[str],
               fn: Callable[[re.Match[str]], str]) -> list[tuple[int, int, str]] | None:
    """Hunks of a fixer that is one ``rx.sub(fn, text)``: one per changed match.

    Returns None if replaying the matches does not give ``after`` (then the
    caller falls back to a character diff).
    """
    out = []
    pieces = []
    pos = 0
    for m in rx.finditer(before):
        rep = fn(m)
        if rep != m.group():
            out.append((m.start(), m.end(), rep))
            pieces += [before[pos:m.start()], rep]
            pos = m.end()
    pieces.append(before[pos:])
    return out if "".join(pieces) == after else None


def _inconsistent_utf8_fixup(text: str) -> Callable[[re.Match[str]], str]:
    """The per-match function of ``fixes.decode_inconsistent_utf8`` for ``text``."""
    def fix(m: re.Match[str]) -> str:
        sub = m.group()
        return ftfy.fix_encoding(sub) if len(sub) < len(text) and is_bad(sub) else sub
    return fix


# fixers that are a single regex substitution: their matches are the exact spans
_SUB_FIXERS: dict[str, Callable[[str], tuple[re.Pattern[str], Callable[[re.Match[str]], str]]]] = {
    "unescape_html": lambda text: (chardata.HTML_ENTITY_RE, fixes._unescape_fixup),
    "decode_inconsistent_utf8": lambda text: (chardata.UTF8_DETECTOR_RE, _inconsistent_utf8_fixup(text)),
    "fix_c1_controls": lambda text: (chardata.C1_CONTROL_RE, fixes._c1_fixer),
    "remove_terminal_escapes": lambda text: (fixes.ANSI_RE, lambda m: ""),
}


def _hunks(before: str, after: str, rule: str = "") -> list[tuple[int, int, str]]:
    """Spans of ``before`` and their replacements turning it into ``after``.

    Common prefix and suffix are trimmed; a short changed stretch is split at
    unchanged runs that contain a space (one hunk per word or phrase), so a
    line with two broken words gives two edits. No hunk is a pure insertion.
    """
    if rule in _SUB_FIXERS:
        exact = _sub_hunks(before, after, *_SUB_FIXERS[rule](before))
        if exact is not None:
            return exact
    p = 0
    n = min(len(before), len(after))
    while p < n and before[p] == after[p]:
        p += 1
    s = 0
    while s < n - p and before[-1 - s] == after[-1 - s]:
        s += 1
    b_mid, a_mid = before[p:len(before) - s], after[p:len(after) - s]
    spans: list[tuple[int, int, int, int]] = []
    if len(b_mid) <= _MAX_DIFF and len(a_mid) <= _MAX_DIFF and b_mid and a_mid:
        sm = difflib.SequenceMatcher(None, b_mid, a_mid, autojunk=False)
        for tag, i1, i2, j1, j2 in sm.get_opcodes():
            if tag == "equal":
                continue
            if spans and (" " not in b_mid[spans[-1][1]:i1] and "\n" not in b_mid[spans[-1][1]:i1]):
                spans[-1] = (spans[-1][0], i2, spans[-1][2], j2)
            else:
                spans.append((i1, i2, j1, j2))
    else:
        spans.append((0, len(b_mid), 0, len(a_mid)))
    out = []
    for i1, i2, j1, j2 in spans:
        i1, i2, j1, j2 = i1 + p, i2 + p, j1 + p, j2 + p
        if i1 == i2:  # pure insertion: take one neighbouring character along
            if i1 > 0:
                i1, j1 = i1 - 1, j1 - 1
            else:
                i2, j2 = i2 + 1, j2 + 1
        out.append((i1, i2, after[j1:j2]))
    return out


# -- the filter -----------------------------------------------------------------

class _Segment:
    """A segment ftfy will change: its repairs and where it sits now."""

    __slots__ = ("start", "texts", "rules", "shift")

    def __init__(self, start: int, texts: list[str], rules: list[tuple[str, str]]) -> None:
        self.start = start      # offset in the original text
        self.texts = texts      # the segment before each repair, and after the last
        self.rules = rules      # (rule, reason) of each repair
        self.shift = 0          # length change applied so far


class EncodingFilter(BaseFilter):
    """ftfy repairs with a per-repair change log (see the module doc)."""

    name = "encoding"
    description = "repair mojibake, HTML entities, control characters (ftfy), one logged edit per repair"
    reads_changed = True  # a settle round reads the changed lines only: see steps()

    def __init__(self, **options: Any) -> None:
        unknown = set(options) - set(DEFAULTS)
        if unknown:
            raise TypeError(f"unknown option(s) {', '.join(sorted(unknown))}; "
                            f"known: {', '.join(DEFAULTS)}")
        settings = {**DEFAULTS, **options}
        self.config = ftfy.TextFixerConfig(explain=True, **settings)
        triggers = trigger_chars(self.config)
        self._triggers = re.compile(_charclass(triggers)) if triggers else None
        if self.config.fix_encoding:
            self._bad = _BAD_SCREEN if _BAD_SCREEN is not None else _ANY_NON_ASCII
        else:
            self._bad = None
        # each line's segments in a text without "<" (see steps())
        self._memo = LineMemo()

    def __repr__(self) -> str:
        changed = {k: getattr(self.config, k) for k in DEFAULTS if getattr(self.config, k) != DEFAULTS[k]}
        return f"EncodingFilter({', '.join(f'{k}={v!r}' for k, v in changed.items())})"

    # ftfy's own answer, for comparison and for callers who want only the text
    def fix_text(self, text: str) -> str:
        return ftfy.fix_text(text, self.config._replace(explain=False))

    def propose(self, text: str, doc: Any = None) -> list[Edit]:
        """One edit per changed stretch of the final result (all repairs at once)."""
        edits = []
        for seg in self._plan(text):
            rules = [r for r, _ in seg.rules]
            rule = rules[0] if len(set(rules)) == 1 else "+".join(dict.fromkeys(rules))
            reason = "; ".join(dict.fromkeys(reason for _, reason in seg.rules))
            for s, e, rep in _hunks(seg.texts[0], seg.texts[-1], rule):
                edits.append(Edit(seg.start + s, seg.start + e, rep, rule, reason))
        return edits

    def steps(self) -> Iterator[Callable[[str, Any], list[Edit]]]:
        """Repairs in ftfy's order: pass k applies the k-th repair of every segment.

        In a settle round (``doc.changed`` given) only the lines changed since this
        filter's last run are read, when that is exact: every segment is a line or part
        of one and ftfy fixes each on its own, except that with ``unescape_html="auto"``
        a ``<`` turns entity repair off from its line on. So a text holding ``<`` is read
        whole, and so is one with an ``&`` outside the changed lines (a ``<`` before it
        may just have gone). In a text without ``<`` each line's segments depend on the
        line alone: the lines read before (this document or an earlier one) are looked
        up in the filter's memo.
        """
        state: dict[str, list[_Segment]] = {}

        def first(text: str, doc: Any = None) -> list[Edit]:
            spans = getattr(doc, "changed", None)
            if "<" in text:
                wins = None
            elif spans is None:
                wins = [(0, len(text))]
            elif nothing_anywhere(text, self._memo, self._read_plans):
                state["segs"] = []  # no line has a repair: the changed ones neither
                return []
            else:
                wins = windows(text, spans)
                if text.count("&") != sum(text.count("&", a, z) for a, z in wins):
                    wins = [(0, len(text))]
            if wins is None:
                state["segs"] = self._plan(text)
            elif len(text) > self._memo.max_chars:  # a huge text: its changed lines, no memo
                state["segs"] = [seg for a, z in wins for seg in self._plan(text[a:z], a)]
            else:
                state["segs"] = self._plan_lines(text, wins)
            return self._pass(state["segs"], 0)

        yield first
        k = 1
        while any(len(seg.rules) > k for seg in state.get("segs", ())):
            yield lambda text, doc=None, k=k: self._pass(state["segs"], k)
            k += 1

    @staticmethod
    def _pass(segs: list[_Segment], k: int) -> list[Edit]:
        edits = []
        shift = 0  # length change of earlier segments so far
        for seg in segs:
            if k < len(seg.rules):
                rule, reason = seg.rules[k]
                base = seg.start + shift
                for s, e, rep in _hunks(seg.texts[k], seg.texts[k + 1], rule):
                    edits.append(Edit(base + s, base + e, rep, rule, reason))
                shift += seg.shift
                seg.shift = len(seg.texts[k + 1]) - len(seg.texts[0])
            else:
                shift += seg.shift
        return edits

    # -- planning ---------------------------------------------------------------
    def _plan_lines(self, text: str, wins: list[tuple[int, int]]) -> list[_Segment]:
        """:meth:`_plan` of the whole lines ``wins`` of ``text`` (``"<"`` not in it), each
        distinct line planned once (:func:`.local.memo_items`)."""
        return [_Segment(at, list(texts), list(rules))
                for at, (texts, rules) in memo_items(text, wins, self._memo, self._read_plans)]

    def _read_plans(self, joined: str) -> Iterator[tuple[int, tuple[tuple[str, ...], tuple[tuple[str, str], ...]]]]:
        """What the memo keeps of the lines ``joined``: each segment's texts and repairs."""
        for seg in self._plan(joined):
            yield seg.start, (tuple(seg.texts), tuple(seg.rules))

    def _plan(self, text: str, at: int = 0) -> list[_Segment]:
        """The segments ftfy would change, in order, each with its repairs (``at``: where
        ``text`` starts in the text the segments' offsets refer to)."""
        out = []
        for start, end, html in self._candidates(text):
            seg = self._fix_segment(start + at, text[start:end], html)
            if seg is not None:
                out.append(seg)
        return out

    def _candidates(self, text: str) -> Iterator[tuple[int, int, bool]]:
        """(start, end, html_on) of each segment that may need fixing, in order."""
        cfg = self.config
        html_end = len(text)
        if cfg.unescape_html == "auto":
            lt = text.find("<")
            if lt >= 0:
                html_end = self._segment(text, lt)[0]
        elif not cfg.unescape_html:
            html_end = 0
        hits: set[int] = set()
        for rx, stop in ((self._bad, len(text)), (self._triggers, len(text)),
                         (_AMP, html_end)):
            if rx is None:
                continue
            search = _screen_search if rx is _BAD_SCREEN else rx.search
            pos = 0
            while (m := search(text, pos, stop)) is not None:
                seg_start, pos = self._segment(text, m.start())
                hits.add(seg_start)
        if cfg.normalization is not None and not unicodedata.is_normalized(cfg.normalization, text):
            pos = 0  # rare (normalization is off by default): check every segment
            while pos < len(text):
                s, e = self._segment(text, pos)
                hits.add(s)
                pos = e
        for s in sorted(hits):
            yield s, self._segment(text, s)[1], s < html_end

    def _segment(self, text: str, p: int) -> tuple[int, int]:
        """Bounds of the ``ftfy.fix_text`` segment holding offset ``p``."""
        limit = self.config.max_decode_length
        line_start = text.rfind("\n", 0, p) + 1
        line_end = text.find("\n", p) + 1 or len(text)
        start = line_start + (p - line_start) // limit * limit
        return start, min(line_end, start + limit)

    def _fix_segment(self, start: int, seg: str, html: bool) -> _Segment | None:
        cfg = self.config
        if not html and cfg.unescape_html:
            cfg = cfg._replace(unescape_html=False)
        if not self._may_change(seg, cfg):
            return None
        fixed, plan = ftfy.fix_and_explain(seg, cfg)
        if fixed == seg:
            return None
        texts = [seg]
        rules = []
        try:
            for repair in _repairs(list(plan or ())):
                nxt = _apply(texts[-1], repair)
                if nxt != texts[-1]:
                    texts.append(nxt)
                    rules.append(_describe(repair))
        except (ValueError, UnicodeError, LookupError):
            texts = [seg]
        if texts[-1] != fixed:  # replay disagrees: log the whole fix as one ftfy edit
            steps = ", ".join(f"{o} {a}" for o, a in plan or ())
            texts, rules = [seg, fixed], [("ftfy", f"ftfy fix_text ({steps})")]
        return _Segment(start, texts, rules)

    def _may_change(self, seg: str, cfg: ftfy.TextFixerConfig) -> bool:
        """Cheap exact pre-check: False only if ftfy is sure to leave ``seg`` alone."""
        if cfg.unescape_html and "&" in seg:
            return True
        if self._triggers is not None and self._triggers.search(seg):
            return True
        if cfg.normalization is not None and not unicodedata.is_normalized(cfg.normalization, seg):
            return True
        return bool(cfg.fix_encoding and not seg.isascii() and is_bad(seg))


_AMP = re.compile("&")


def _screen_search(text: str, pos: int, stop: int) -> re.Match[str] | None:
    """``_BAD_SCREEN.search(text, pos, stop)``: the one-class scan skips to the first
    character a match can start with, the screen searches on from there (on text dense
    with such characters, Cyrillic or Greek, the screen's own scan does the work)."""
    m = _BAD_START.search(text, pos, stop)
    return None if m is None else _BAD_SCREEN.search(text, m.start(), stop)
