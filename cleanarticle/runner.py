"""Running the pipeline over files: finding inputs, naming outputs, writing safely.

The CLI is a thin layer over this module. Outputs are written atomically (a
temporary file in the same folder, then ``os.replace``), so an interrupted run
never leaves a half-written file.
"""

from __future__ import annotations

import gzip
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

__all__ = ["Source", "collect", "atomic_write", "read_source", "InputError", "TEXT_SUFFIXES", "HTML_SUFFIXES",
           "JSONL_SUFFIXES"]

TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")  # one document a line
MAX_INPUT_BYTES = 200 * 1024 * 1024
_GLOB_CHARS = set("*?[")
_BINARY_MAGIC = (b"\x89PNG", b"PK\x03\x04", b"%PDF", b"GIF8", b"\xff\xd8\xff", b"\x1f\x8b\x08", b"\x7fELF")


class InputError(Exception):
    """A problem with one input, reported as one line; the run goes on."""


@dataclass(frozen=True)
class Source:
    """One input document: where it is and where its outputs go (relative to -o)."""

    path: Path
    rel: Path  # output path relative to the output folder, without suffix

    @property
    def is_html(self) -> bool:
        return self.path.name.lower().endswith(HTML_SUFFIXES)

    @property
    def is_jsonl(self) -> bool:
        """A JSON Lines dataset: one document a line, cleaned into one output file."""
        return self.path.name.lower().endswith(JSONL_SUFFIXES)

    @property
    def is_gzip(self) -> bool:
        return self.path.name.lower().endswith(".gz")


@dataclass
class Collected:
    sources: list[Source] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: files inside input folders that are not text, HTML or JSON Lines by their name
    #: (not read; counted and named in the run summary and manifest, so none goes unseen)
    ignored: list[Path] = field(default_factory=list)


def _suffix(name: str) -> str | None:
    low = name.lower()
    for suf in HTML_SUFFIXES + TEXT_SUFFIXES + JSONL_SUFFIXES:
        if low.endswith(suf):
            return suf
    return None


def _stem(name: str) -> str:
    """The name without its text suffix; a name that IS a suffix (``.txt``) stays whole,
    so its outputs still land inside the output folder."""
    suf = _suffix(name)
    stem = name[: -len(suf)] if suf else name
    return stem if stem.strip(".") else name


def _resolve(p: Path) -> Path | None:
    """``p.resolve()``, or None for a symlink loop or an unreadable link."""
    try:
        return p.resolve()
    except (RuntimeError, OSError):
        return None


ERROR_REPORT = "cleanarticle-errors.jsonl"  # a batch run's per-document error records


def _walk(root: Path, skip: Path | None, ignored: list[Path] | None = None) -> Iterator[Path]:
    """Text and HTML files below root, sorted, not following symlinked folders; other
    files (not hidden, not change logs) are appended to ``ignored``, and so is the error
    report of an earlier run whose outputs lie below root (JSON Lines, but no data)."""
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames
                             if not d.startswith(".") and (skip is None or _resolve(here / d) != skip))
        for name in sorted(filenames):
            if name.startswith(".") or name.endswith((".changes.jsonl", ".changes.jsonl.gz")):
                continue
            if _suffix(name) and name != ERROR_REPORT:
                yield here / name
            elif ignored is not None:
                ignored.append(here / name)


def _inside(child: Path, parent: Path) -> bool:
    try:
        child.relative_to(parent)
        return True
    except ValueError:
        return False


def collect(paths: Iterable[str], out_dir: Path | None) -> Collected:
    """Expand files, folders (recursive) and globs into sources with unique output names.

    Output names mirror the input tree below each folder argument; a file
    argument lands at the top. When two inputs would get the same output name,
    the later one keeps its full file name (``x.html`` -> ``x.html.txt``); if that
    also collides, it is reported as an error rather than overwritten.
    """
    out = Collected()
    out_res = out_dir.resolve() if out_dir is not None else None
    found: list[tuple[Path, Path]] = []  # (file, relative output dir)
    for arg in paths:
        p = Path(arg)
        if not p.exists() and _GLOB_CHARS & set(arg):
            import glob

            matches = sorted(glob.glob(arg, recursive=True))
            if not matches:
                out.errors.append(f"{arg}: no file matches this pattern")
            for m in matches:
                mp = Path(m)
                if mp.is_file():
                    found.append((mp, Path()))
            continue
        if not p.exists():
            out.errors.append(f"{arg}: no such file or directory")
            continue
        if p.is_dir():
            root = p.resolve()
            if out_res is not None and (out_res == root):
                raise InputError(f"{arg}: the output folder must not be an input folder")
            files = list(_walk(p, out_res, out.ignored))
            if not files:
                out.errors.append(f"{arg}: directory has no text, HTML or JSON Lines files "
                                  f"({', '.join(TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES)})")
            for f in files:
                found.append((f, f.parent.relative_to(p)))
        else:
            found.append((p, Path()))
    used: set[Path] = set()
    seen_inputs: set[Path] = set()
    for f, reldir in found:
        key = _resolve(f)
        if key is None:
            out.errors.append(f"{f}: symbolic link loop, skipped")
            continue
        if key in seen_inputs:
            continue
        seen_inputs.add(key)
        for candidate in (reldir / _stem(f.name), reldir / f.name):
            if candidate not in used:
                used.add(candidate)
                out.sources.append(Source(f, candidate))
                break
        else:
            out.errors.append(f"{f}: output name {reldir / f.name}.txt is taken by another input")
    return out


def read_source(src: Source, max_bytes: int = MAX_INPUT_BYTES) -> bytes:
    """The file's bytes (gunzipped for ``.gz``), or :class:`InputError`."""
    try:
        size = src.path.stat().st_size
        if size > max_bytes:
            raise InputError(f"{src.path}: {size} bytes is over the size limit of {max_bytes}")
        if src.path.name.lower().endswith(".gz"):
            with gzip.open(src.path, "rb") as fh:
                data = fh.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise InputError(f"{src.path}: over the size limit of {max_bytes} bytes once unpacked")
        else:
            data = src.path.read_bytes()
    except InputError:
        raise
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise InputError(f"{src.path}: cannot read: {reason}") from None
    if data.startswith(_BINARY_MAGIC):
        raise InputError(f"{src.path}: looks like a binary file (image, archive, PDF or program), skipped")
    return data


def _umask() -> int:
    old = os.umask(0o022)
    os.umask(old)
    return old


def new_temp(path: Path) -> tuple[int, str]:
    """A temporary file beside ``path`` with the permissions a plain ``open`` would give."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())
    except OSError:
        pass
    return fd, tmp


def inside_root(path: Path, root: Path) -> bool:
    """Is ``path``'s folder, links resolved, inside ``root``? (No writing through a symlink
    that points out of the output folder.)"""
    parent = _resolve(path.parent)
    top = _resolve(root)
    return parent is not None and top is not None and _inside(parent, top)


def atomic_write(path: Path, data: str) -> None:
    """Write UTF-8 text so that the file is either complete or absent."""
    fd, tmp = new_temp(path)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace", newline="") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def check_out_dir(out_dir: Path, inputs: Iterable[str]) -> None:
    """Refuse an output folder that is an input folder or contains an input file."""
    out_res = out_dir.resolve()
    for arg in inputs:
        p = Path(arg)
        if p.exists():
            r = p.resolve()
            if r == out_res:
                raise InputError(f"{arg}: the output folder must not be an input folder")
            if p.is_file() and _inside(r, out_res) and r.parent == out_res and _suffix(p.name) == ".txt":
                # cleaning x.txt into its own folder would overwrite it
                raise InputError(f"{arg}: the output would overwrite this input; choose another -o")
