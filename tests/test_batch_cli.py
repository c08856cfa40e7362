"""Batch runs through the command line: stdin JSON Lines, progress, Ctrl-C and resume."""

import json
import os
import pty
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from cleanarticle import restore
from cleanarticle.batch import MANIFEST
from cleanarticle.edits import changes_from_jsonl
from cleanarticle.jsonl import changes_from_dicts

ROOT = Path(__file__).resolve().parent.parent
ENV = dict(os.environ, PYTHONPATH=str(ROOT))
CMD = [sys.executable, "-m", "cleanarticle"]


def run(*args, stdin=None, **kw):
    return subprocess.run(CMD + [str(a) for a in args], input=stdin, capture_output=True, env=ENV,
                          timeout=300, **kw)


def _docs(root: Path, n: int) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (root / f"doc{i:03d}.txt").write_text(f"Doc  {i}\r\n\r\n\r\nend", encoding="utf-8")


def test_stdin_jsonl_streams_records_in_order(tmp_path):
    rows = [{"id": i, "text": f"a  {i}", "keep": i * 2} for i in range(50)]
    data = "".join(json.dumps(r) + "\n" for r in rows).encode()
    log = tmp_path / "log.jsonl"
    r = run("clean", "-", "--jsonl", "--jobs", "2", "--changes", log, stdin=data)
    assert r.returncode == 0, r.stderr
    out = [json.loads(line) for line in r.stdout.decode().splitlines()]
    assert [o["id"] for o in out] == list(range(50)) and out[3]["keep"] == 6
    logs = [json.loads(line) for line in log.read_text().splitlines()]
    assert all(restore(o["text"], changes_from_dicts(g["changes"])) == row["text"]
               for o, g, row in zip(out, logs, rows))


def test_stdin_jsonl_bad_line_is_reported_and_exit_1():
    r = run("clean", "--jsonl", "--changes-in", "record", stdin=b'{"text": "a  b"}\nnope\n')
    assert r.returncode == 1
    assert json.loads(r.stdout)["changes"]
    assert "line 2" in r.stderr.decode() and "Traceback" not in r.stderr.decode()


def test_piped_run_is_silent_apart_from_the_summary(tmp_path):
    _docs(tmp_path / "in", 5)
    r = run("clean", tmp_path / "in", "-o", tmp_path / "o", "-j", "2")
    assert r.returncode == 0
    err = r.stderr.decode()
    assert "\r" not in err and "5 document(s) cleaned" in err and "whitespace" in err
    r = run("clean", tmp_path / "in", "-o", tmp_path / "o2", "--quiet")
    assert r.returncode == 0 and r.stderr == b""
    manifest = json.loads((tmp_path / "o2" / MANIFEST).read_text())
    assert manifest["status"] == "complete" and manifest["counts"]["documents"] == 5
    assert manifest["options"]["jobs"] >= 1 and manifest["version"]


def test_files_of_other_types_in_a_folder_are_counted_and_named(tmp_path):
    _docs(tmp_path / "in", 2)
    (tmp_path / "in" / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / "in" / "sub").mkdir()
    (tmp_path / "in" / "sub" / "notes.docx").write_bytes(b"PK")
    (tmp_path / "in" / ".hidden.bin").write_bytes(b"x")  # hidden files stay out of it
    r = run("clean", tmp_path / "in", "-o", tmp_path / "o")
    assert r.returncode == 0, r.stderr
    err = r.stderr.decode()
    assert "2 document(s) cleaned" in err
    assert "2 file(s) in the input folders ignored" in err and "photo.jpg" in err
    manifest = json.loads((tmp_path / "o" / MANIFEST).read_text())
    assert manifest["counts"]["ignored_files"] == 2
    assert [Path(p).relative_to(tmp_path / "in").as_posix() for p in manifest["ignored"]] == \
        ["photo.jpg", "sub/notes.docx"]
    r = run("clean", tmp_path / "in" / "doc000.txt", "-o", tmp_path / "o2")
    assert "ignored" not in r.stderr.decode()  # a run with nothing ignored does not mention it
    assert json.loads((tmp_path / "o2" / MANIFEST).read_text())["ignored"] == []



def test_an_earlier_runs_reports_in_an_input_folder_are_not_read_as_data(tmp_path):
    # an earlier run wrote its outputs below the folder now cleaned, one record failing
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "rows.jsonl").write_text('{"id": 1, "text": "a  b"}\n{"id": 2}\n', encoding="utf-8")
    r = run("clean", tmp_path / "data", "-o", tmp_path / "in" / "earlier")
    assert r.returncode == 1 and (tmp_path / "in" / "earlier" / "cleanarticle-errors.jsonl").exists()
    _docs(tmp_path / "in", 2)
    r = run("clean", tmp_path / "in", "-o", tmp_path / "o")
    assert r.returncode == 0, r.stderr  # the error report is no dataset with records to fail
    err = r.stderr.decode()
    assert "2 file(s) in the input folders ignored" in err and "cleanarticle-errors.jsonl" in err
    manifest = json.loads((tmp_path / "o" / MANIFEST).read_text())
    assert [Path(p).name for p in manifest["ignored"]] == ["cleanarticle-errors.jsonl", MANIFEST]
    assert (tmp_path / "o" / "earlier" / "rows.jsonl").exists()  # the earlier outputs are inputs

def test_progress_is_drawn_on_a_terminal(tmp_path):
    _docs(tmp_path / "in", 5)
    master, slave = pty.openpty()
    proc = subprocess.Popen(CMD + ["clean", str(tmp_path / "in"), "-o", str(tmp_path / "o")],
                            stdout=subprocess.DEVNULL, stderr=slave, env=ENV)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(master)
    err = b"".join(chunks).decode()
    assert "\r" in err and "docs" in err and "MB/s" in err
    assert proc.returncode == 0


def test_jobs_and_errors_exit_1_and_write_the_rest(tmp_path):
    _docs(tmp_path / "in", 4)
    (tmp_path / "in" / "data.jsonl").write_text('{"text": "x  y"}\n{"no": 1}\n')
    r = run("clean", tmp_path / "in", "-o", tmp_path / "o", "--jobs", "2")
    assert r.returncode == 1
    assert len(list((tmp_path / "o").glob("doc*.txt"))) == 4
    assert (tmp_path / "o" / "data.jsonl").read_text().count("\n") == 1
    assert "line 2" in r.stderr.decode()


def test_usage_errors(tmp_path):
    _docs(tmp_path / "in", 1)
    for args in (["--engine", "dask"], ["--scheduler", "tcp://127.0.0.1:1"], ["--jobs", "-2"]):
        r = run("clean", tmp_path / "in", "-o", tmp_path / "o", *args)
        assert r.returncode == 2 and "Traceback" not in r.stderr.decode(), args


_SLOW_RUN = textwrap.dedent("""
    import signal, sys, time
    # Ctrl-C as in a terminal, even when this test runs under a shell that started it in
    # the background (which makes SIGINT ignored, and Python then keeps it ignored)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    from pathlib import Path
    from cleanarticle.batch import BatchOptions, run_batch
    from cleanarticle.filters import BaseFilter
    from cleanarticle.filters.whitespace import WhitespaceFilter
    from cleanarticle.pipeline import Pipeline

    class Slow(BaseFilter):
        name = "slow"
        def propose(self, text, doc):
            time.sleep(float(sys.argv[3]))
            return []

    try:
        run_batch([sys.argv[1]], Path(sys.argv[2]), Pipeline([Slow(), WhitespaceFilter()]),
                  BatchOptions(jobs=2, quiet=True))
    except KeyboardInterrupt:
        sys.exit(130)
""")


def test_ctrl_c_leaves_only_complete_outputs_and_the_rerun_finishes(tmp_path):
    _docs(tmp_path / "in", 400)
    script = tmp_path / "slow.py"
    script.write_text(_SLOW_RUN)
    out = tmp_path / "o"
    # 0.1 s a document: the run lasts ~20 s, so Ctrl-C lands mid-run even on a loaded machine
    # (at 0.03 s a CI run once finished before this test's polling saw 10 outputs)
    proc = subprocess.Popen([sys.executable, str(script), str(tmp_path / "in"), str(out), "0.1"], env=ENV,
                            start_new_session=True, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.glob("*.txt"))) < 10:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal does on Ctrl-C: the whole group
    proc.wait(timeout=60)
    err = proc.stderr.read().decode()
    assert proc.returncode == 130, err
    done = sorted(out.glob("*.txt"))
    assert 10 <= len(done) < 400, err  # in-flight documents may be undone, never done ones
    hidden = [p.name for p in out.iterdir() if p.name.startswith(".")]
    assert not hidden, (hidden, err)
    for txt in done:
        log = changes_from_jsonl(txt.with_name(txt.stem + ".changes.jsonl").read_text())
        assert restore(txt.read_bytes().decode(), log) == (tmp_path / "in" / txt.name).read_bytes().decode()
    assert json.loads((out / MANIFEST).read_text())["status"] == "interrupted"
    r = subprocess.run([sys.executable, str(script), str(tmp_path / "in"), str(out), "0.005"], env=ENV,
                       timeout=300, capture_output=True)
    assert r.returncode == 0, r.stderr.decode()
    assert len(list(out.glob("*.txt"))) == 400
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["counts"]["skipped_complete"] == len(done)
    assert manifest["counts"]["documents"] + manifest["counts"]["skipped_complete"] == 400


def test_progress_line_reports_rate_eta_and_failures():
    import io

    from cleanarticle.progress import Progress

    stream = io.StringIO()
    p = Progress(total_bytes=10_000_000, enabled=True, stream=stream, every=0)
    p._t0 -= 2.0  # two seconds in
    p.update(docs=3, nbytes=2_000_000, failed=1)
    line = p.line()
    assert line.startswith("cleanarticle: 3 docs, 1.0 MB/s, ETA 0:08") and line.endswith("1 failed")
    p.close()
    assert stream.getvalue().startswith("\r") and stream.getvalue().endswith("\r")
    quiet = io.StringIO()
    Progress(enabled=None, stream=quiet).update(docs=1)  # not a terminal: nothing
    assert quiet.getvalue() == ""
