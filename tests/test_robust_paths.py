"""Paths and output faults: odd names, symlink loops, full or unwritable output folders.

The guarantees: every input is cleaned whatever its name; a failed write gives a clear one-line
error and leaves no partial file; nothing is ever written outside the output folder.
Disk-full and read-only folders are simulated in-process (tests run as root, so chmod would not
stop a write).
"""

from __future__ import annotations

import builtins
import errno
import io
import os
import stat
import tempfile
from pathlib import Path

import pytest

from cleanarticle import clean, restore
from cleanarticle.cli import main
from cleanarticle.edits import changes_from_jsonl

from robust_hostile import check_clean_stderr, cli

ODD_NAMES = ["with space.txt", "caf\u00e9 \u00fcber.txt", "\u4e2d\u6587.txt", "\U0001F600 emoji.txt",
             "\u05e9\u05dc\u05d5\u05dd.txt", "-dash.txt", "--help.txt", "-o.txt", "a'quote\".txt",
             "semi;colon $HOME `x`.txt", "..double.txt", "tab\there.txt", "new\nline.txt"]
TEXT = "Odd  name,  plain   text.\r\n"


def tree(root: Path) -> dict[str, bytes | str]:
    """Every file below root (symlinks as their target), to compare before and after a run."""
    out: dict[str, bytes | str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            rel = str(p.relative_to(root))
            if p.is_symlink():
                out[rel] = "-> " + os.readlink(p)
            elif p.is_file():
                out[rel] = p.read_bytes()
    return out


def new_files_outside(before: dict, after: dict, out: str) -> list[str]:
    return sorted(k for k in after if k not in before and not (k == out or k.startswith(out + os.sep)))


def check_outputs(out: Path, names, src: Path):
    for name in names:
        stem = name[:-4]
        text = (out / f"{stem}.txt").read_bytes().decode("utf-8")
        log = changes_from_jsonl((out / f"{stem}.changes.jsonl").read_bytes().decode("utf-8"))
        assert restore(text, log) == (src / name).read_bytes().decode("utf-8")


def test_odd_file_names_in_a_folder(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for name in ODD_NAMES:
        (src / name).write_text(TEXT, encoding="utf-8", newline="")
    before = tree(tmp_path)
    r = cli("clean", src, "-o", out)
    check_clean_stderr(r.stderr)
    assert r.returncode == 0
    visible = [n for n in ODD_NAMES if not n.startswith(".")]  # a folder's hidden files are skipped
    check_outputs(out, visible, src)
    assert len(_leftovers(out)) == 2 * len(visible)
    assert new_files_outside(before, tree(tmp_path), "out") == []


def test_odd_file_names_as_arguments(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name in ODD_NAMES:
        (src / name).write_text(TEXT, encoding="utf-8", newline="")
    r = cli("clean", "-o", "../out", "--", *ODD_NAMES, cwd=src)
    check_clean_stderr(r.stderr)
    assert r.returncode == 0, r.stderr
    check_outputs(tmp_path / "out", ODD_NAMES, src)
    r = cli("clean", "./-dash.txt", "-o", "../out2", cwd=src)
    assert r.returncode == 0 and (tmp_path / "out2" / "-dash.txt").exists()


def test_dot_dot_in_input_and_output_paths(tmp_path):
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "a.txt").write_text(TEXT, encoding="utf-8")
    before = tree(tmp_path)
    r = cli("clean", "in/sub/../a.txt", "-o", "in/sub/../../out", cwd=tmp_path)
    check_clean_stderr(r.stderr)
    assert r.returncode == 0
    assert (tmp_path / "out" / "a.txt").read_text(encoding="utf-8") == clean(TEXT).text
    assert new_files_outside(before, tree(tmp_path), "out") == []


def test_an_input_named_only_by_its_suffix_stays_inside_the_output_folder(tmp_path):
    (tmp_path / ".txt").write_text(TEXT, encoding="utf-8")
    before = tree(tmp_path)
    r = cli("clean", ".txt", "-o", "out", cwd=tmp_path)
    check_clean_stderr(r.stderr)
    assert new_files_outside(before, tree(tmp_path), "out") == []


def test_directory_symlink_loops_terminate(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "real.txt").write_text(TEXT, encoding="utf-8")
    os.symlink("..", src / "sub" / "up")             # directory loop
    os.symlink(tmp_path, src / "root-link")           # a link to an ancestor of the output
    r = cli("clean", src, "-o", out, timeout=120)
    check_clean_stderr(r.stderr)
    assert r.returncode == 0
    assert (out / "sub" / "real.txt").read_text(encoding="utf-8") == clean(TEXT).text
    assert _leftovers(out) == ["sub/real.changes.jsonl", "sub/real.txt"]


def test_file_symlink_loops_given_as_arguments_are_one_line_errors(tmp_path):
    os.symlink("self.txt", tmp_path / "self.txt")
    os.symlink("b.txt", tmp_path / "a.txt")
    os.symlink("a.txt", tmp_path / "b.txt")
    for name in ("self.txt", "a.txt"):
        r = cli("clean", tmp_path / name, "-o", tmp_path / "out", timeout=60)
        err = check_clean_stderr(r.stderr)
        assert r.returncode == 1 and name in err and len(err.splitlines()) <= 3


def test_file_symlink_loops_inside_a_folder_are_skipped_with_an_error(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "real.txt").write_text(TEXT, encoding="utf-8")
    os.symlink("self.txt", src / "self.txt")
    os.symlink("b.txt", src / "a.txt")
    os.symlink("a.txt", src / "b.txt")
    r = cli("clean", src, "-o", out, timeout=120)
    err = check_clean_stderr(r.stderr)
    assert r.returncode == 1 and "self.txt" in err
    assert (out / "real.txt").read_text(encoding="utf-8") == clean(TEXT).text


def test_a_symlink_inside_the_output_folder_is_not_followed(tmp_path):
    src, out, elsewhere = tmp_path / "in", tmp_path / "out", tmp_path / "elsewhere"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "a.txt").write_text(TEXT, encoding="utf-8")
    out.mkdir()
    elsewhere.mkdir()
    os.symlink(elsewhere, out / "sub")
    cli("clean", src, "-o", out)
    assert list(elsewhere.iterdir()) == [], "wrote through a symlink to outside the output folder"


def test_outputs_get_normal_permissions(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    old = os.umask(0o022)
    try:
        r = cli("clean", tmp_path / "a.txt", "-o", tmp_path / "out")
    finally:
        os.umask(old)
    assert r.returncode == 0
    assert stat.S_IMODE((tmp_path / "out" / "a.txt").stat().st_mode) == 0o644


def test_output_folder_that_is_a_file(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "out").write_text("I am a file", encoding="utf-8")
    r = cli("clean", tmp_path / "a.txt", "-o", tmp_path / "out")
    err = check_clean_stderr(r.stderr)
    assert r.returncode in (1, 2) and err.strip()
    assert (tmp_path / "out").read_text(encoding="utf-8") == "I am a file"


# --- simulated faults, in-process ----------------------------------------------------------------

def _oserror(code: int) -> OSError:
    return OSError(code, os.strerror(code))


class _FullDisk:
    """A file object that accepts about half of what is written, then fails like a full disk."""

    def __init__(self, fh):
        self._fh = fh

    def write(self, data):
        self._fh.write(data[: len(data) // 2])
        self._fh.flush()
        raise _oserror(errno.ENOSPC)

    def __getattr__(self, name):
        return getattr(self._fh, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._fh.close()
        return False


def _writes(mode) -> bool:
    return isinstance(mode, str) and any(c in mode for c in "wax+")


def disk_full_on_write(monkeypatch, out: Path):
    """Every file opened for writing below ``out`` fails half-way through a write."""
    real_fdopen, real_open = os.fdopen, builtins.open
    out_s = str(out.resolve())

    def fdopen(fd, mode="r", *a, **k):
        fh = real_fdopen(fd, mode, *a, **k)
        return _FullDisk(fh) if _writes(mode) else fh

    def opener(file, mode="r", *a, **k):
        fh = real_open(file, mode, *a, **k)
        if _writes(mode) and isinstance(file, (str, os.PathLike)) and \
                os.path.abspath(os.fspath(file)).startswith(out_s):
            return _FullDisk(fh)
        return fh

    monkeypatch.setattr(os, "fdopen", fdopen)
    monkeypatch.setattr(builtins, "open", opener)
    monkeypatch.setattr(io, "open", opener)


def fail_on_rename(monkeypatch, code: int, after: int = 0):
    """Renaming a finished temporary file into place fails (after ``after`` successes)."""
    calls = {"n": 0}
    for owner, name in ((os, "replace"), (os, "rename"), (Path, "replace"), (Path, "rename")):
        real = getattr(owner, name)

        def failing(*a, _real=real, **k):
            calls["n"] += 1
            if calls["n"] > after:
                raise _oserror(code)
            return _real(*a, **k)

        monkeypatch.setattr(owner, name, failing)


def fail_on_create(monkeypatch, code: int):
    """Creating any file fails, as in a read-only folder."""
    def failing(*a, **k):
        raise _oserror(code)

    monkeypatch.setattr(tempfile, "mkstemp", failing)
    monkeypatch.setattr(tempfile, "NamedTemporaryFile", failing)
    real_open = builtins.open

    def opener(file, mode="r", *a, **k):
        if _writes(mode):
            raise _oserror(code)
        return real_open(file, mode, *a, **k)

    monkeypatch.setattr(builtins, "open", opener)
    monkeypatch.setattr(io, "open", opener)


@pytest.fixture
def inputs(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(3):
        (src / f"doc{i}.txt").write_text(f"Document {i}  has   text.\n", encoding="utf-8")
    return src


def _run_in_process(capsys, *args) -> tuple[int, str]:
    code = main(["clean", *map(str, args)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def _leftovers(out: Path) -> list[str]:
    """Files below the output folder, less the run's own bookkeeping (manifest, error list)."""
    from cleanarticle.batch import ERRORS, MANIFEST

    if not out.exists():
        return []
    return sorted(str(p.relative_to(out)) for p in out.rglob("*")
                  if p.is_file() and p.relative_to(out).as_posix() not in (MANIFEST, ERRORS))


FAULTS = {
    "disk-full-on-write": (lambda mp, out: disk_full_on_write(mp, out), "No space left on device"),
    "disk-full-on-rename": (lambda mp, out: fail_on_rename(mp, errno.ENOSPC), "No space left on device"),
    "read-only-folder": (lambda mp, out: fail_on_create(mp, errno.EROFS), "Read-only file system"),
    "permission-denied": (lambda mp, out: fail_on_create(mp, errno.EACCES), "Permission denied"),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_output_faults_give_a_clear_error_and_no_partial_files(fault, inputs, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    out.mkdir()
    inject, message = FAULTS[fault]
    before = tree(tmp_path)
    inject(monkeypatch, out)
    code, err = _run_in_process(capsys, inputs, "-o", out)
    monkeypatch.undo()
    assert code == 1, err
    assert message in err, err
    lines = [ln for ln in err.splitlines() if "error" in ln]
    assert lines and all(len(ln) < 400 for ln in lines)
    assert _leftovers(out) == [], "partial or temporary files left behind"
    assert new_files_outside(before, tree(tmp_path), "out") == []


def test_a_failure_between_the_two_outputs_leaves_neither(inputs, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    fail_on_rename(monkeypatch, errno.ENOSPC, after=1)  # the first output lands, the second fails
    code, err = _run_in_process(capsys, inputs / "doc0.txt", "-o", out)
    monkeypatch.undo()
    assert code == 1
    assert _leftovers(out) == []


def test_stdin_change_log_write_failure_is_one_line(tmp_path, monkeypatch, capsys):
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Some  text.\n")))
    fail_on_rename(monkeypatch, errno.ENOSPC)
    code = main(["clean", "-", "--changes", str(tmp_path / "log.jsonl")])
    monkeypatch.undo()
    err = capsys.readouterr().err
    assert code == 1 and "No space left on device" in err and "Traceback" not in err
    assert _leftovers(tmp_path) == []


def test_a_failed_run_can_be_repeated_cleanly(inputs, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    disk_full_on_write(monkeypatch, out)
    _run_in_process(capsys, inputs, "-o", out)
    monkeypatch.undo()
    code, err = _run_in_process(capsys, inputs, "-o", out)
    assert code == 0, err
    assert sorted(_leftovers(out)) == sorted(f"doc{i}{s}" for i in range(3) for s in (".txt", ".changes.jsonl"))


def test_a_name_too_long_for_its_outputs_is_a_one_line_error(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / ("a" * 240 + ".txt")).write_text(TEXT, encoding="utf-8")  # legal; its .changes.jsonl is not
    (src / "short.txt").write_text(TEXT, encoding="utf-8")
    r = cli("clean", src, "-o", out)
    err = check_clean_stderr(r.stderr)
    assert r.returncode == 1 and "File name too long" in err
    assert _leftovers(out) == ["short.changes.jsonl", "short.txt"], "no partial outputs"


def test_an_output_folder_inside_the_input_folder_is_never_cleaned_again(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(TEXT, encoding="utf-8")
    for _ in range(2):
        r = cli("clean", src, "-o", src / "out")
        check_clean_stderr(r.stderr)
        assert r.returncode == 0
    assert sorted(str(p.relative_to(src)) for p in src.rglob("*") if p.is_file()) == [
        "a.txt", "out/a.changes.jsonl", "out/a.txt", "out/cleanarticle-run.json"]
