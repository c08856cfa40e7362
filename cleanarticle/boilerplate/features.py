"""Line features for the boilerplate classifier, language-aware where data exists.

Stage 1 describes each line by itself, its block and its neighbours (length,
punctuation, stopword density, case patterns, glued words, phrase families,
position, duplicates). Stage 2 adds the stage-1 scores of the neighbourhood
(context smoothing) and the line's place relative to the densest run of
article-like text, found with a maximum-sum segment over word-weighted scores.
Every feature is a float; the order is :data:`STAGE1_NAMES` / :data:`STAGE2_NAMES`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Sequence

from .data import Family, families, stopwords
from .hints import fold, hint
from .segment import WORD, Line, line_key

__all__ = ["LineInfo", "describe", "stage1", "stage2", "STAGE1_NAMES", "STAGE2_NAMES", "main_region"]

_SENT_END = tuple(".!?\"'”’»)…:")
_GLUED = re.compile(r"[a-z\u00e0-\u00ff][A-Z\u00c0-\u00de]{2,}")
_SEPARATORS = re.compile(r"[|•·›»«/©®™→←↑↓▶►▼◄★☆#@]")
_DATE = re.compile(
    r"\b(\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|"
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4}|"
    r"\d{1,2} (jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]* \d{4})\b",
    re.IGNORECASE)
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\s?(am|pm|a\.m\.|p\.m\.|h|utc|gmt|est|edt|cet|bst|et|pt)?\b", re.IGNORECASE)
_AGO = re.compile(r"\b\d+\s?(min|mins|minutes?|hours?|hrs?|h|days?|d|weeks?)\s+ago\b", re.IGNORECASE)
_BY = re.compile(r"^(by|von|por|par|di|door)\s+[A-Z\u00c0-\u00de]", re.IGNORECASE)
_URL = re.compile(r"https?://|www\.|\.(com|org|net|co\.uk)\b", re.IGNORECASE)


class LineInfo:
    """Per-line facts shared by features, rules and reasons."""

    __slots__ = ("line", "words", "nwords", "key", "family", "stop", "upper", "letters", "static")

    def __init__(self, line: Line, words: list[str], key: str, family: Family | None,
                 stop: int, upper: int, letters: int, static: tuple = ()) -> None:
        self.line = line
        self.static = static  # the features that depend on the line's text alone
        self.words = words
        self.nwords = len(words)
        self.key = key
        self.family = family
        self.stop = stop
        self.upper = upper
        self.letters = letters


def _own_stopwords(lines: Sequence[Line], size: int = 40) -> frozenset[str]:
    """Function words of a language we have no list for, estimated from the text itself:
    the most frequent short words of its longer lines (ties broken alphabetically)."""
    counts: Counter = Counter()
    for ln in lines:
        words = WORD.findall(ln.text.lower())
        if len(words) >= 8:
            counts.update(w for w in words if len(w) <= 4 and not w.isdigit())
    common = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:size]
    return frozenset(w for w, c in common if c >= 3)


def describe(lines: Sequence[Line], lang: str, extra: Sequence[Family] = (),
             cache: dict | None = None) -> list[LineInfo]:
    """Words, key, stopword count, case counts and first phrase-family hit of each line.

    ``cache`` (a dict owned by the caller) memoises the per-text facts, so repeated
    lines and later labelling passes over the same lines cost a lookup.
    """
    # "und" (too little text to tell) reads as English; a detected language without a
    # list gets function words estimated from the text itself
    stops = stopwords(lang) or (stopwords("en") if lang in ("und", "") else _own_stopwords(lines))
    fams = tuple(extra) + families(lang)
    # the memo is per stopword set and family list: a pass must not see facts computed
    # with other ones
    memo = cache.setdefault((stops, fams), {}) if cache is not None else {}
    checks = [(f, hint(f.regex)) for f in fams]
    out = []
    for ln in lines:
        t = ln.text
        facts = memo.get(t)
        if facts is None:
            words = WORD.findall(t)
            fam = None
            if len(words) <= 80:
                low = None
                for f, need in checks:
                    if len(words) > f.max_words:
                        continue
                    if need is not None:  # cheap exact pre-check: skip a regex that cannot match
                        if low is None:
                            low = fold(t)
                        for s in need:
                            if s in low:
                                break
                        else:
                            continue
                    if f.regex.search(t):
                        fam = f
                        break
            stop = sum(map(stops.__contains__, map(str.lower, words)))
            letters = sum(map(str.isalpha, t))
            upper = sum(map(str.isupper, t))
            facts = memo[t] = (words, line_key(t), fam, stop, upper, letters,
                               _static(t, words, fam, stop, upper, letters))
        out.append(LineInfo(ln, *facts))
    return out


STAGE1_NAMES = [
    "log_words", "log_chars", "stop_ratio", "log_stops", "short_ratio", "ends_sentence", "ends_period",
    "commas_per_word", "periods_per_word", "upper_ratio", "title_ratio", "digit_ratio", "glued",
    "separators", "date", "time", "ago", "by", "url", "phrase", "all_caps", "pos_rel", "words_before_rel",
    "words_after_rel", "block_lines", "in_block_rel", "block_log_words", "block_mean_words",
    "block_stop_ratio", "dup", "in_dense", "dense_before", "dense_after",
    "p2_words", "p1_words", "n1_words", "n2_words", "p1_stop", "n1_stop", "p1_end", "n1_end",
    "win5_words", "win5_stop", "win5_end", "win15_stop", "first_line_of_doc", "mean_word_len",
]


def _static(t: str, words: list[str], fam: Family | None, stop: int, upper: int, letters: int) -> tuple:
    """Stage-1 features of a line's text alone (the first 21 of STAGE1_NAMES, then mean word length)."""
    nw = len(words)
    w = max(nw, 1)
    stripped = t.rstrip()
    chars = len(t)
    digits = sum(map(str.isdigit, t))
    titles = sum(1 for x in words if x[:1].isupper())
    # dates, times and "3 hours ago" all need a digit (str.isdigit covers every \d)
    date = 1.0 if digits and _DATE.search(t) else 0.0
    clock = 1.0 if digits and _TIME.search(t) else 0.0
    ago = 1.0 if digits and _AGO.search(t) else 0.0
    return (
        math.log1p(nw),
        math.log1p(chars),
        stop / w,
        math.log1p(stop),
        sum(1 for x in words if len(x) <= 3) / w,
        1.0 if stripped.endswith(_SENT_END) else 0.0,
        1.0 if stripped.endswith(".") else 0.0,
        t.count(",") / w,
        t.count(".") / w,
        upper / max(letters, 1),
        titles / w,
        digits / max(chars, 1),
        1.0 if _GLUED.search(t) else 0.0,
        len(_SEPARATORS.findall(t)) / w,
        date,
        clock,
        ago,
        1.0 if nw <= 8 and _BY.match(t) else 0.0,
        1.0 if _URL.search(t) else 0.0,
        1.0 if fam is not None else 0.0,
        1.0 if letters >= 4 and upper == letters else 0.0,
    ), (sum(map(len, words)) / w) if nw else 0.0


def _dense(info: LineInfo) -> bool:
    return info.nwords >= 12 and info.stop >= 0.2 * info.nwords and info.line.text.rstrip().endswith(_SENT_END)


def stage1(infos: Sequence[LineInfo]) -> list[list[float]]:
    """Stage-1 feature rows, one per line (see :data:`STAGE1_NAMES`)."""
    n = len(infos)
    if not n:
        return []
    total_words = sum(i.nwords for i in infos) or 1
    keys = Counter(i.key for i in infos if i.key)
    dense_idx = [k for k, i in enumerate(infos) if _dense(i)]
    first_dense = dense_idx[0] if dense_idx else n
    last_dense = dense_idx[-1] if dense_idx else -1
    # per-block aggregates
    bw: dict[int, int] = {}
    bs: dict[int, int] = {}
    for i in infos:
        b = i.line.block
        bw[b] = bw.get(b, 0) + i.nwords
        bs[b] = bs.get(b, 0) + i.stop
    base = [(i.nwords, i.static[0][2], i.static[0][5]) for i in infos]
    # prefix sums for windows
    pw = [0.0]
    ps = [0.0]
    pe = [0.0]
    for (nw, sr, end) in base:
        pw.append(pw[-1] + nw)
        ps.append(ps[-1] + sr)
        pe.append(pe[-1] + end)

    # the same float operations as before, hoisted out of the per-line loop
    lw = [math.log1p(x[0]) for x in base]
    log1p = math.log1p
    after_all = log1p(n)
    rows = []
    before = 0
    for k, i in enumerate(infos):
        nw = i.nwords
        ln = i.line
        b = ln.block
        bl = ln.block_lines
        bwb = bw[b]
        text_feats, mean_len = i.static
        a5, b5 = (k - 5 if k > 5 else 0), (k + 6 if k + 6 < n else n)
        a15, b15 = (k - 15 if k > 15 else 0), (k + 16 if k + 16 < n else n)
        row = [
            *text_feats,
            k / n,
            before / total_words,
            (total_words - before - nw) / total_words,
            log1p(bl),
            ln.in_block / max(bl, 1),
            log1p(bwb),
            log1p(bwb / max(bl, 1)),
            bs[b] / max(bwb, 1),
            1.0 if i.key and keys[i.key] > 1 else 0.0,
            1.0 if first_dense <= k <= last_dense else 0.0,
            log1p(first_dense - k if first_dense > k else 0),
            log1p(k - last_dense if k > last_dense else 0) if last_dense >= 0 else after_all,
            lw[k - 2] if k >= 2 else -1.0,
            lw[k - 1] if k >= 1 else -1.0,
            lw[k + 1] if k + 1 < n else -1.0,
            lw[k + 2] if k + 2 < n else -1.0,
            base[k - 1][1] if k >= 1 else -1.0,
            base[k + 1][1] if k + 1 < n else -1.0,
            base[k - 1][2] if k >= 1 else -1.0,
            base[k + 1][2] if k + 1 < n else -1.0,
            log1p((pw[b5] - pw[a5]) / (b5 - a5)),
            (ps[b5] - ps[a5]) / (b5 - a5),
            (pe[b5] - pe[a5]) / (b5 - a5),
            (ps[b15] - ps[a15]) / (b15 - a15),
            1.0 if k == 0 else 0.0,
            mean_len,
        ]
        before += nw
        rows.append(row)
    return rows


STAGE2_NAMES = STAGE1_NAMES + [
    "s1", "s1_p1", "s1_p2", "s1_p3", "s1_n1", "s1_n2", "s1_n3", "s1_win5", "s1_win10w", "s1_block",
    "in_main", "main_before", "main_after", "s1_max_before", "s1_max_after",
]


def main_region(scores: Sequence[float], weights: Sequence[float], bias: float = 0.5) -> tuple[int, int]:
    """Maximum-sum run ``[a, b)`` of ``(score - bias) * weight``: the article's core.

    >>> main_region([0.1, 0.9, 0.8, 0.2, 0.9, 0.1], [5, 20, 20, 2, 20, 5])
    (1, 5)
    """
    best, best_a, best_b = 0.0, 0, 0
    cur, a = 0.0, 0
    for k, (s, w) in enumerate(zip(scores, weights)):
        v = (s - bias) * w
        if cur <= 0:
            cur, a = v, k
        else:
            cur += v
        if cur > best:
            best, best_a, best_b = cur, a, k + 1
    return best_a, best_b


def stage2(infos: Sequence[LineInfo], rows1: Sequence[Sequence[float]], s1: Sequence[float]) -> list[list[float]]:
    """Stage-2 rows: stage-1 rows plus neighbourhood scores and main-region place."""
    n = len(infos)
    if not n:
        return []
    weights = [math.sqrt(i.nwords + 1) for i in infos]
    a, b = main_region(s1, weights)
    pw = [0.0]
    ps = [0.0]
    for k in range(n):
        pw.append(pw[-1] + infos[k].nwords + 1)
        ps.append(ps[-1] + s1[k] * (infos[k].nwords + 1))
    block_sum: dict[int, float] = {}
    block_n: dict[int, int] = {}
    for k, i in enumerate(infos):
        block_sum[i.line.block] = block_sum.get(i.line.block, 0.0) + s1[k]
        block_n[i.line.block] = block_n.get(i.line.block, 0) + 1
    # running maxima of s1 for lines with some words, before and after
    max_before = [0.0] * n
    m = 0.0
    for k in range(n):
        max_before[k] = m
        if infos[k].nwords >= 5:
            m = max(m, s1[k])
    max_after = [0.0] * n
    m = 0.0
    for k in range(n - 1, -1, -1):
        max_after[k] = m
        if infos[k].nwords >= 5:
            m = max(m, s1[k])

    # s1 padded with -1.0 on both sides: at(k) = s1[k] inside the text, -1.0 outside
    pad = [-1.0, -1.0, -1.0, *s1, -1.0, -1.0, -1.0]
    log1p = math.log1p
    out = []
    for k, i in enumerate(infos):
        x, y = (k - 5 if k > 5 else 0), (k + 6 if k + 6 < n else n)
        x10, y10 = (k - 10 if k > 10 else 0), (k + 11 if k + 11 < n else n)
        blk = i.line.block
        row = list(rows1[k])
        row += [
            s1[k], pad[k + 2], pad[k + 1], pad[k], pad[k + 4], pad[k + 5], pad[k + 6],
            sum(s1[x:y]) / (y - x),
            (ps[y10] - ps[x10]) / (pw[y10] - pw[x10]),
            block_sum[blk] / block_n[blk],
            1.0 if a <= k < b else 0.0,
            log1p(a - k if a > k else 0),
            log1p(k - b + 1 if k - b + 1 > 0 else 0),
            max_before[k],
            max_after[k],
        ]
        out.append(row)
    return out
