"""Finding and reading cleaned outputs: ``X.txt`` + ``X.changes.jsonl``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Iterable, Iterator

from ..edits import Change, changes_from_jsonl, restore

__all__ = ["Reviewed", "ReviewInputError", "find_outputs", "load_outputs", "load_one", "attribution"]

LOG_SUFFIX = ".changes.jsonl"
#: the canonicalising filter the pipeline runs again at the end (see Pipeline.run)
FINISHER = "whitespace"


def attribution(c: Change) -> tuple[str, str, str]:
    """(filter, rule, reason) a change is reviewed under.

    When the final ``whitespace`` pass touches text another filter changed, the
    log merges both and names whitespace; the change is still the other filter's
    decision (a removed newsletter line, not a blank-line fix), so it is shown,
    counted, toggled and overridden under the last non-whitespace filter in its
    history. Overrides name that filter too (see :mod:`cleanarticle.overrides`).

    >>> c = Change("whitespace", "blank-lines", 0, 9, "Sign up\\n\\n", "", "blank lines",
    ...            subsumes=({"filter": "boilerplate", "rule": "newsletter", "reason": "ad", "after": ""},))
    >>> attribution(c)
    ('boilerplate', 'newsletter', 'ad')
    """
    if c.filter == FINISHER:
        for h in reversed(c.subsumes):
            f = h.get("filter")
            if f and f != FINISHER:
                return str(f), str(h.get("rule", "")), str(h.get("reason", ""))
    return c.filter, c.rule, c.reason


class ReviewInputError(Exception):
    """An output that cannot be reviewed (missing log, log not matching the text)."""


@dataclass(frozen=True)
class Reviewed:
    """One cleaned document as written to disk, with its original rebuilt.

    ``id`` is the output name relative to the folder it was found in, without
    ``.txt`` (``sub/article``); overrides use it to name the document.
    """

    id: str
    path: Path  # the X.txt file
    text: str
    changes: tuple[Change, ...]

    @cached_property
    def original(self) -> str:
        return restore(self.text, self.changes)

    @cached_property
    def words(self) -> int:
        """Words in the original."""
        return len(self.original.split())

    @cached_property
    def words_removed(self) -> int:
        """Words of the original that are not in the output: removals count whole,
        rewrites count the words they lost."""
        n = 0
        for c in self.changes:
            b, a = len(c.before.split()), len(c.after.split())
            if b > a:
                n += b - a
        return n

    @property
    def share_removed(self) -> float:
        return self.words_removed / self.words if self.words else 0.0


def _pair(path: Path) -> tuple[Path, Path]:
    """(text file, log file) for a path naming either of them."""
    name = path.name
    if name.endswith(LOG_SUFFIX):
        return path.with_name(name[: -len(LOG_SUFFIX)] + ".txt"), path
    stem = name[:-4] if name.endswith(".txt") else name
    return path, path.with_name(stem + LOG_SUFFIX)


def _doc_id(text_path: Path, root: Path | None) -> str:
    rel = text_path.relative_to(root) if root is not None else Path(text_path.name)
    s = rel.as_posix()
    return s[:-4] if s.endswith(".txt") else s


def find_outputs(paths: Iterable[str | Path]) -> Iterator[tuple[str, Path, Path]]:
    """(id, text file, log file) for files and folders (recursive, sorted).

    A folder yields every ``X.changes.jsonl`` below it whose ``X.txt`` exists.
    A file may be ``X.txt`` or ``X.changes.jsonl``; the other one must exist.
    """
    seen: set[Path] = set()
    for arg in paths:
        p = Path(arg)
        if p.is_dir():
            found = []
            for dirpath, dirnames, filenames in os.walk(p):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for fn in filenames:
                    if fn.endswith(LOG_SUFFIX) and not fn.startswith("."):
                        t, log = _pair(Path(dirpath) / fn)
                        if t.is_file():
                            found.append((_doc_id(t, p), t, log))
            if not found:
                raise ReviewInputError(f"{arg}: no cleaned outputs (X.txt with X{LOG_SUFFIX}) in this folder")
            for item in sorted(found):
                if item[1].resolve() not in seen:
                    seen.add(item[1].resolve())
                    yield item
        elif p.is_file():
            t, log = _pair(p)
            if not t.is_file():
                raise ReviewInputError(f"{arg}: no cleaned text {t.name} beside this change log")
            if not log.is_file():
                raise ReviewInputError(f"{arg}: no change log {log.name} beside it "
                                       f"(review reads the outputs of 'cleanarticle clean PATH -o DIR')")
            if t.resolve() not in seen:
                seen.add(t.resolve())
                yield _doc_id(t, None), t, log
        else:
            raise ReviewInputError(f"{arg}: no such file or directory")


def _forward(original: str, changes: tuple[Change, ...]) -> str:
    """The clean text from the original and its log (``ValueError`` if they do not fit)."""
    parts: list[str] = []
    pos = 0
    for c in changes:
        if c.start < pos or original[c.start:c.end] != c.before:
            raise ValueError(f"change log does not match the text at offset {c.start} ({c.filter}/{c.rule})")
        parts.append(original[pos:c.start])
        parts.append(c.after)
        pos = c.end
    parts.append(original[pos:])
    clean = "".join(parts)
    if any(clean[c.out_start:c.out_end] != c.after for c in changes):
        raise ValueError("change log output offsets do not match")
    return clean


def load_one(doc_id: str, text_path: Path, log_path: Path) -> Reviewed:
    """One document from a text file and its log.

    The text is normally the cleaned output; it may also be the original input
    (as with ``clean - --changes LOG``), recognised because the log fits it
    the other way round.
    """
    try:
        data = text_path.read_bytes()
        log = log_path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReviewInputError(f"{text_path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        changes = tuple(changes_from_jsonl(log))
    except ValueError as exc:
        raise ReviewInputError(f"{log_path}: {exc}") from None
    try:
        doc = Reviewed(doc_id, text_path, data.decode("utf-8"), changes)
        doc.original  # noqa: B018 - checks the log fits the text
        return doc
    except (UnicodeDecodeError, ValueError) as exc:
        problem = str(exc)
    from ..io import decode

    try:  # the original input, decoded as the pipeline decodes it
        return Reviewed(doc_id, text_path, _forward(decode(data)[0], changes), changes)
    except ValueError:
        pass
    raise ReviewInputError(f"{text_path}: {problem}; the log {log_path.name} fits neither this file as the "
                           f"cleaned output nor as the original input (edited after cleaning?)")


def load_outputs(paths: Iterable[str | Path], log: str | Path | None = None) -> list[Reviewed]:
    """Every cleaned output under ``paths``, checked (the log must fit the text).

    ``log``: the change log of the one file in ``paths``, when it is not beside
    it as ``X.changes.jsonl`` (stdin mode writes it wherever ``--changes`` says).
    """
    if log is not None:
        paths = list(paths)
        if len(paths) != 1 or not Path(paths[0]).is_file():
            raise ReviewInputError("a change log given with --changes goes with exactly one text file")
        if not Path(log).is_file():
            raise ReviewInputError(f"{log}: no such change log")
        t = Path(paths[0])
        return [load_one(_doc_id(t, None), t, Path(log))]
    return [load_one(*item) for item in find_outputs(paths)]
