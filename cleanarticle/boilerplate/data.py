"""Data files of the boilerplate filter: stopwords and phrase families, loaded once.

Files live in ``cleanarticle/data/boilerplate/``: ``stopwords/<lang>.txt`` (one word a
line, ``#`` comments) and ``phrases/<lang>.toml`` (``[[family]]`` tables with a
``rule``, ``max_words``, ``patterns`` and optionally ``override = true`` for families
specific enough to remove a line even when the classifier reads it as prose, and
``feature = false`` for families the rules apply but the classifier does not see: its
``phrase`` feature is what it was trained with, so such a family is added without
retraining the model). A language without files falls back to language-neutral features.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .hints import refers_back
from .rules import RULES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

__all__ = ["DATA_DIR", "Family", "stopwords", "families", "load_toml", "compile_family"]

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "boilerplate"


@dataclass(frozen=True)
class Family:
    """One phrase family: a rule id, a word limit and one combined regex (the alternation
    of its patterns, each in its own ``parts`` regex)."""

    rule: str
    max_words: int
    regex: re.Pattern[str]
    override: bool = False  # specific enough to remove a line the classifier sees as prose
    # the patterns one by one: ``regex`` matches a text exactly when one of them does, and
    # a line is searched only with those whose hint strings it holds (a pattern alone is
    # also cheaper to search than the alternation of all)
    parts: tuple[re.Pattern[str], ...] = ()
    feature: bool = True  # False: a rule only, not the classifier's ``phrase`` feature


def load_toml(path: Path | str) -> dict:
    with open(path, "rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=None)
def stopwords(lang: str) -> frozenset[str]:
    """The stopword set of ``lang`` (empty if the language has no list)."""
    path = DATA_DIR / "stopwords" / f"{lang}.txt"
    if not path.is_file():
        return frozenset()
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.append(line)
    return frozenset(words)


def compile_family(rule: str, patterns: list[str], max_words: int, where: str,
                   override: bool = False, feature: bool = True) -> Family:
    if rule not in RULES:
        raise ValueError(f"{where}: unknown rule id {rule!r}")
    if not patterns:
        raise ValueError(f"{where}: family {rule!r} has no patterns")
    try:
        rx = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"{where}: bad pattern in family {rule!r}: {exc}") from None
    return Family(rule, int(max_words), rx, bool(override), _parts(rx, patterns), bool(feature))


def _parts(rx: re.Pattern[str], patterns: list[str]) -> tuple[re.Pattern[str], ...]:
    """Each pattern compiled alone, or just ``rx`` if one refers to a group by number or
    name (alone it would mean another group, or none)."""
    if refers_back(rx):
        return (rx,)
    return tuple(re.compile(f"(?:{p})", re.IGNORECASE) for p in patterns)


@lru_cache(maxsize=None)
def families(lang: str) -> tuple[Family, ...]:
    """Phrase families of ``lang`` (English ones serve languages without a file).

    The families the classifier sees come first, rule-only ones (``feature = false``)
    after them all: a line that matches both gets the first, so its ``phrase`` feature
    is the one the model was trained with."""
    path = DATA_DIR / "phrases" / f"{lang}.toml"
    if lang != "en" and not path.is_file():
        return families("en")  # the same objects: compiled once, not once per such language
    out = []
    paths = [path] if path.is_file() else []
    if lang != "en":
        paths.append(DATA_DIR / "phrases" / "en.toml")  # English UI strings are everywhere
    for p in paths:
        for i, fam in enumerate(load_toml(p).get("family", [])):
            out.append(compile_family(fam["rule"], list(fam["patterns"]), fam.get("max_words", 30),
                                      f"{p.name} family {i + 1}", fam.get("override", False),
                                      fam.get("feature", True)))
    return tuple(sorted(out, key=lambda f: not f.feature))  # stable: file order otherwise
