"""The filter contract and the registry of built-in filters.

A filter is a small object with a ``name`` and a ``propose(text, doc)`` method
that returns :class:`~cleanarticle.edits.Edit` objects. It never changes text
itself; the pipeline applies, composes and logs the edits.

>>> from cleanarticle.edits import Edit
>>> class Shout:
...     name = "shout"
...     def propose(self, text, doc):
...         i = text.find("!!")
...         return [Edit(i, i + 2, "!", "double-bang", "one exclamation mark is enough")] if i >= 0 else []
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Iterable, Protocol, runtime_checkable

if TYPE_CHECKING:
    from ..edits import Edit
    from ..pipeline import Document

__all__ = ["Filter", "BaseFilter", "FilterSpec", "REGISTRY", "names", "default_names", "create", "UnknownFilter"]


@runtime_checkable
class Filter(Protocol):
    """What the pipeline needs from a filter."""

    name: str

    def propose(self, text: str, doc: "Document") -> Iterable["Edit"]: ...


class BaseFilter:
    """Convenience base: language scope and a description for ``cleanarticle filters``.

    ``languages``: ISO 639-1 codes the filter serves, or ``None`` for all. The
    pipeline skips the filter (and says so in ``metadata["skipped"]``) when the
    document's language is known and not served.
    """

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    languages: ClassVar[frozenset[str] | None] = None

    def propose(self, text: str, doc: "Document") -> Iterable["Edit"]:  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


@dataclass(frozen=True)
class FilterSpec:
    name: str
    target: str  # "module:Class", imported on first use (keeps start-up fast)
    default: bool
    summary: str

    def load(self) -> type:
        module, _, cls = self.target.partition(":")
        return getattr(importlib.import_module(module), cls)


# Pipeline order. The pipeline re-runs a filter whenever a later one changed the text
# (it settles to a fixed point), so the output is always in canonical form.
REGISTRY: tuple[FilterSpec, ...] = (
    FilterSpec("encoding", "cleanarticle.filters.encoding:EncodingFilter", True,
               "repair mojibake, HTML entities, control characters (ftfy), one logged edit per repair"),
    FilterSpec("whitespace", "cleanarticle.filters.whitespace:WhitespaceFilter", True,
               "canonical text: NFC, \\n line ends, single spaces, one blank line between paragraphs"),
    FilterSpec("boilerplate", "cleanarticle.filters.boilerplate:BoilerplateFilter", True,
               "remove page boilerplate (menus, prompts, notices, credits, duplicates); byline/date to metadata"),
    FilterSpec("typos", "cleanarticle.filters.typos:TyposFilter", True,
               "obvious typos (English): known misspellings, doubled words, glued sentences, demonym case"),
    FilterSpec("transliteration", "cleanarticle.filters.transliteration:TransliterationFilter", True,
               "one spelling per entity from gazetteers: Kiev -> Kyiv, Oleg Sinegubov -> Oleh Syniehubov"),
    FilterSpec("ascii", "cleanarticle.filters.ascii:AsciiFilter", False,
               "fold every non-ASCII character to ASCII (unidecode); off by default"),
)

class UnknownFilter(ValueError):
    pass


def _spec(name: str) -> FilterSpec:
    for s in REGISTRY:
        if s.name == name:
            return s
    raise UnknownFilter(f"unknown filter {name!r} (known: {', '.join(names())})")


def names() -> list[str]:
    return [s.name for s in REGISTRY]


def default_names() -> list[str]:
    return [s.name for s in REGISTRY if s.default]


def order(requested: Iterable[str]) -> list[str]:
    """Validate names and put them in pipeline order."""
    wanted = set()
    for n in requested:
        _spec(n)
        wanted.add(n)
    return [n for n in names() if n in wanted]


def create(name: str, **options: Any) -> Filter:
    """Instantiate a built-in filter by name with its options."""
    cls = _spec(name).load()
    try:
        return cls(**options)
    except TypeError as exc:
        raise ValueError(f"bad options for filter {name!r}: {exc}") from None
