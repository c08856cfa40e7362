"""The CLI contract, through the real console script in a subprocess."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cleanarticle import restore
from cleanarticle.edits import changes_from_jsonl

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def _command():
    script = Path(sys.executable).with_name("cleanarticle")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "cleanarticle"]  # not installed: run from the source tree


def run(*args, stdin=None, cwd=None):
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")
    return subprocess.run(_command() + [str(a) for a in args], input=stdin, capture_output=True,
                          cwd=cwd, env=env, timeout=300)


def test_version_and_help():
    r = run("--version")
    assert r.returncode == 0 and r.stdout.decode().startswith("cleanarticle ")
    r = run("--help")
    assert r.returncode == 0 and b"clean" in r.stdout


def test_filters_lists_one_line_each():
    r = run("filters")
    assert r.returncode == 0
    lines = r.stdout.decode().splitlines()
    assert any(line.startswith("whitespace ") for line in lines)
    assert all(len(line.split()) >= 3 for line in lines)


def test_clean_folder_writes_text_and_log_that_restore_the_input(tmp_path):
    out = tmp_path / "out"
    r = run("clean", SEEDS, "-o", out)
    assert r.returncode == 0, r.stderr
    for seed in sorted(SEEDS.glob("*.txt")):
        text = (out / seed.name).read_text(encoding="utf-8")
        log = changes_from_jsonl((out / (seed.stem + ".changes.jsonl")).read_text(encoding="utf-8"))
        assert restore(text, log) == seed.read_text(encoding="utf-8")
    assert not list(out.glob("*.tmp")) and not list(out.glob(".*"))


def test_inputs_are_never_touched(tmp_path):
    src = tmp_path / "in"
    shutil.copytree(SEEDS, src)
    before = {p.name: p.read_bytes() for p in src.iterdir()}
    assert run("clean", src, "-o", tmp_path / "out").returncode == 0
    assert {p.name: p.read_bytes() for p in src.iterdir()} == before


def test_glob_and_nested_folders_mirror_the_tree(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "x.txt").write_text("one  two", encoding="utf-8")
    (tmp_path / "b" / "x.txt").write_text("three  four", encoding="utf-8")
    r = run("clean", tmp_path, "-o", tmp_path / "out")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "out" / "a" / "x.txt").read_text() == "one two\n"
    assert (tmp_path / "out" / "b" / "x.txt").read_text() == "three four\n"
    r = run("clean", str(tmp_path / "a" / "*.txt"), "-o", tmp_path / "out2")
    assert r.returncode == 0 and (tmp_path / "out2" / "x.txt").exists()


def test_stdin_to_stdout_with_changes_file(tmp_path):
    log = tmp_path / "log.jsonl"
    r = run("clean", "-", "--filters", "whitespace", "--changes", log, stdin="a  b\r\n".encode())
    assert r.returncode == 0, r.stderr
    assert r.stdout == b"a b\n"
    rows = [json.loads(line) for line in log.read_text().splitlines()]
    assert [row["filter"] for row in rows] == ["whitespace", "whitespace"]
    assert restore("a b\n", changes_from_jsonl(log.read_text())) == "a  b\r\n"


def test_default_in_filters_names_the_default_pipeline(tmp_path):
    from cleanarticle.cli import _filter_names
    from cleanarticle.filters import default_names, order

    assert _filter_names("default") == default_names()
    assert _filter_names("default,ascii") == default_names() + ["ascii"]
    assert order(_filter_names("whitespace,default")) == default_names()  # each once
    log = tmp_path / "log.jsonl"
    r = run("clean", "-", "--filters", "default,ascii", "--changes", log, stdin="Caf\u00e9  au lait".encode())
    assert r.returncode == 0, r.stderr
    assert r.stdout == b"Cafe au lait\n"
    assert "ascii" in log.read_text()


def test_piped_stdin_without_paths():
    r = run("clean", stdin=b"x   y")
    assert r.returncode == 0 and r.stdout.startswith(b"x y")


def _one_line_error(r, code):
    assert r.returncode == code
    err = r.stderr.decode()
    assert "Traceback" not in err
    assert err.startswith("cleanarticle: error: ")
    return err


def test_unknown_filter_is_a_usage_error(tmp_path):
    err = _one_line_error(run("clean", SEEDS, "-o", tmp_path, "--filters", "whitespace,nope"), 2)
    assert "nope" in err and len(err.strip().splitlines()) == 1


def test_output_equal_to_input_folder_is_refused(tmp_path):
    (tmp_path / "x.txt").write_text("a", encoding="utf-8")
    _one_line_error(run("clean", tmp_path, "-o", tmp_path), 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.txt"]


def test_missing_input_fails_but_others_are_written(tmp_path):
    r = run("clean", tmp_path / "nope.txt", SEEDS / "000_99d6a48d0751b28a.txt", "-o", tmp_path / "o")
    assert r.returncode == 1
    assert "nope.txt" in r.stderr.decode() and "Traceback" not in r.stderr.decode()
    assert (tmp_path / "o" / "000_99d6a48d0751b28a.txt").exists()


def test_directory_without_text_files_is_reported(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "image.png").write_bytes(b"\x89PNG\r\n")
    r = run("clean", tmp_path / "in", "-o", tmp_path / "o")
    assert r.returncode == 1 and "no text" in r.stderr.decode()


def test_unreadable_file_is_one_line(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root can read any file")
    f = tmp_path / "secret.txt"
    f.write_text("x")
    f.chmod(0)
    r = run("clean", f, "-o", tmp_path / "o")
    assert r.returncode == 1 and "cannot read" in r.stderr.decode()


def test_undecodable_bytes_never_crash(tmp_path):
    f = tmp_path / "bad.txt"
    f.write_bytes(b"caf\xe9 au lait \xff\xfe\x81 ok")
    r = run("clean", f, "-o", tmp_path / "o")
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr.decode()
    assert (tmp_path / "o" / "bad.txt").read_text(encoding="utf-8").strip()


def test_binary_file_is_an_error_not_a_crash(tmp_path):
    f = tmp_path / "pic.txt"
    f.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    r = run("clean", f, "-o", tmp_path / "o")
    assert r.returncode == 1 and "binary" in r.stderr.decode()
    assert not (tmp_path / "o" / "pic.txt").exists()


def test_no_arguments_is_a_usage_error():
    r = subprocess.run(_command() + ["clean"], capture_output=True, stdin=subprocess.DEVNULL,
                       env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=120)
    assert r.returncode == 2 and "Traceback" not in r.stderr.decode()


def test_module_entry_point_works_too():
    r = subprocess.run([sys.executable, "-m", "cleanarticle", "--version"], capture_output=True,
                       env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=120)
    assert r.returncode == 0
