"""Loading and scoring the extraction-dev pages (shared by the benchmark and training).

The metric is the article-extraction benchmark's published one, written anew here:
tokens are ``\\w+`` matches; per page, the multisets of 4-token shingles of truth and
prediction give tp/fp/fn, each divided by tp+fp+fn of the page; precision is averaged
over pages with tp+fp > 0, recall over pages with tp+fn > 0, F1 = 2PR/(P+R).
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from pathlib import Path
from typing import Iterable

_TOKEN = re.compile(r"\w+")


def load_pages(path: str | Path) -> list[dict]:
    """``[{key, url, html, truth}]`` sorted by key."""
    root = Path(path)
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth):
        raw = gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes())
        pages.append({"key": key, "url": truth[key].get("url", ""),
                      "html": raw.decode("utf-8", "replace"), "truth": truth[key].get("articleBody", "")})
    return pages


def visible_text(html: str) -> str:
    import html_text

    return html_text.extract_text(html)


def shingles(text: str, n: int = 4) -> Counter:
    toks = _TOKEN.findall(text or "")
    return Counter(tuple(toks[i:i + n]) for i in range(max(1, len(toks) - n + 1)) if toks[i:i + n])


def page_counts(truth: str, pred: str) -> tuple[float, float, float]:
    t, p = shingles(truth), shingles(pred)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def score(counts: Iterable[tuple[float, float, float]]) -> dict[str, float]:
    counts = list(counts)
    ps = [_precision(*c) for c in counts if c[0] + c[1] > 0]
    rs = [_recall(*c) for c in counts if c[0] + c[2] > 0]
    p = sum(ps) / len(ps) if ps else 0.0
    r = sum(rs) / len(rs) if rs else 0.0
    return {"f1": 2 * p * r / (p + r) if p + r else 0.0, "precision": p, "recall": r}
