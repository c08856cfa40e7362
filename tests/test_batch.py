"""Batch runs through the Python API: JSONL datasets, order, corpus passes, faults, resume."""

import gzip
import json
import os
import re
import time
from pathlib import Path

import pytest

from cleanarticle import restore
from cleanarticle.batch import ERRORS, MANIFEST, BatchError, BatchOptions, run_batch
from cleanarticle.edits import Edit, changes_from_jsonl
from cleanarticle.filters import BaseFilter
from cleanarticle.filters.whitespace import WhitespaceFilter
from cleanarticle.jsonl import changes_from_dicts, clean_record
from cleanarticle.pipeline import Pipeline


class TemplateLines(BaseFilter):
    """Removes lines that appear in at least half of the documents (needs the corpus pass)."""

    name = "templates"

    def corpus_keys(self, text):
        return {ln.strip() for ln in text.splitlines() if ln.strip()}

    def propose(self, text, doc):
        counts = doc.context.get("template_lines", {})
        docs = doc.context.get("documents", 0)
        pos = 0
        for ln in text.splitlines(keepends=True):
            key = ln.strip()
            if key and docs and counts.get(key, 1) * 2 >= docs and counts.get(key, 1) >= 2:
                yield Edit(pos, pos + len(ln), "", "template-line", "line repeated across the corpus")
            pos += len(ln)


class Trouble(BaseFilter):
    """Misbehaves on marked documents: hangs in Python, hangs in C, crashes, raises, flags."""

    name = "trouble"

    def propose(self, text, doc):
        if "HANG-PY" in text:
            while True:
                time.sleep(0.01)
        if "HANG-C" in text:  # catastrophic backtracking: stuck inside the regex engine
            re.match(r"(a+)+$", "a" * 64 + "b")
        if "CRASH" in text:
            os._exit(3)
        if "RAISE" in text:
            raise RuntimeError("boom")
        if "FLAG" in text:
            doc.metadata["flags"] = ["suspicious"]
        return []


def _pipe(*extra):
    return Pipeline([*extra, WhitespaceFilter()])


def _opts(**kw):
    kw.setdefault("quiet", True)
    return BatchOptions(**kw)


def _tree(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _outputs(root: Path) -> dict:
    tree = _tree(root)
    tree.pop(MANIFEST)
    return tree


def _dataset(path: Path, n: int, gz: bool = False) -> list[dict]:
    rows = [{"id": f"doc-{i}", "text": f"Title {i}\n\nSite   menu\n\nBody {i}  words\tand more.\n\nFooter line",
             "url": f"https://example.org/{i}", "metadata": {"lang": "en", "n": i}} for i in range(n)]
    data = "".join(json.dumps(r) + "\n" for r in rows).encode()
    path.write_bytes(gzip.compress(data) if gz else data)
    return rows


def test_jsonl_keeps_fields_adds_metadata_and_restores(tmp_path):
    rows = _dataset(tmp_path / "d.jsonl", 40)
    stats = run_batch([tmp_path / "d.jsonl"], tmp_path / "out", _pipe(), _opts(jobs=2))
    assert stats.documents == 40 and stats.failed == 0 and stats.changed == 40
    out = [json.loads(line) for line in (tmp_path / "out" / "d.jsonl").read_text().splitlines()]
    logs = [json.loads(line) for line in (tmp_path / "out" / "d.changes.jsonl").read_text().splitlines()]
    assert [r["id"] for r in out] == [r["id"] for r in rows] == [g["id"] for g in logs]
    for row, rec, log in zip(rows, out, logs):
        assert list(rec)[:3] == ["id", "text", "metadata"]
        assert rec["url"] == row["url"]
        assert rec["metadata"]["n"] == row["metadata"]["n"]
        assert rec["metadata"]["cleanarticle"]["per_filter"] == {"whitespace": 4}
        assert restore(rec["text"], changes_from_dicts(log["changes"])) == row["text"]


def test_gzip_dataset_output_is_byte_identical_across_jobs(tmp_path):
    _dataset(tmp_path / "d.jsonl.gz", 300, gz=True)
    run_batch([tmp_path / "d.jsonl.gz"], tmp_path / "o1", _pipe(), _opts(jobs=1))
    run_batch([tmp_path / "d.jsonl.gz"], tmp_path / "o2", _pipe(), _opts(jobs=2))
    assert _outputs(tmp_path / "o1") == _outputs(tmp_path / "o2")
    with gzip.open(tmp_path / "o1" / "d.jsonl.gz", "rt") as fh:
        assert [json.loads(line)["id"] for line in fh] == [f"doc-{i}" for i in range(300)]


def test_changes_in_record_and_none(tmp_path):
    _dataset(tmp_path / "d.jsonl", 3)
    run_batch([tmp_path / "d.jsonl"], tmp_path / "a", _pipe(), _opts(jobs=1, changes="record"))
    rec = json.loads((tmp_path / "a" / "d.jsonl").read_text().splitlines()[0])
    assert rec["changes"] and not (tmp_path / "a" / "d.changes.jsonl").exists()
    run_batch([tmp_path / "d.jsonl"], tmp_path / "b", _pipe(), _opts(jobs=1, changes="none"))
    rec = json.loads((tmp_path / "b" / "d.jsonl").read_text().splitlines()[0])
    assert "changes" not in rec and not (tmp_path / "b" / "d.changes.jsonl").exists()


def test_text_and_id_keys(tmp_path):
    (tmp_path / "d.jsonl").write_text(json.dumps({"body": "a  b", "uid": 7, "id": "x"}) + "\n")
    run_batch([tmp_path / "d.jsonl"], tmp_path / "o", _pipe(), _opts(jobs=1, text_key="body", id_key="uid"))
    rec = json.loads((tmp_path / "o" / "d.jsonl").read_text())
    assert rec["id"] == 7 and rec["text"] == "a b\n" and "body" not in rec and rec["uid"] == 7
    assert rec["metadata"]["original_id"] == "x"


def test_bad_records_become_error_records_and_the_run_goes_on(tmp_path):
    lines = [json.dumps({"id": 1, "text": "ok  one"}), "{broken", json.dumps({"id": 3, "body": "x"}),
             json.dumps(["not", "an", "object"]), json.dumps({"id": 5, "text": "ok  five"})]
    (tmp_path / "d.jsonl").write_text("\n".join(lines) + "\n")
    stats = run_batch([tmp_path / "d.jsonl"], tmp_path / "o", _pipe(), _opts(jobs=2))
    assert stats.documents == 2 and stats.failed == 3
    assert [json.loads(x)["id"] for x in (tmp_path / "o" / "d.jsonl").read_text().splitlines()] == [1, 5]
    errors = [json.loads(x) for x in (tmp_path / "o" / ERRORS).read_text().splitlines()]
    assert [e["line"] for e in errors] == [2, 3, 4]
    manifest = json.loads((tmp_path / "o" / MANIFEST).read_text())
    assert manifest["counts"]["failed"] == 3 and manifest["errors"] == ERRORS


def _corpus(root: Path, n: int) -> None:
    for i in range(n):
        d = root / f"site{i % 3}"
        d.mkdir(parents=True, exist_ok=True)
        extra = "Share this article\n" if i % 2 else ""
        (d / f"page{i}.txt").write_text(f"Home | News | Sport\n{extra}Story number {i} is unique.\n"
                                        f"Copyright Example Media\n", encoding="utf-8")


def test_corpus_pass_gives_the_same_outputs_with_any_number_of_jobs(tmp_path):
    _corpus(tmp_path / "in", 12)
    (tmp_path / "in" / "d.jsonl").write_text("".join(
        json.dumps({"id": i, "text": f"Home | News | Sport\nRecord {i}.\n"}) + "\n" for i in range(8)))
    s1 = run_batch([tmp_path / "in"], tmp_path / "o1", _pipe(TemplateLines()), _opts(jobs=1))
    s2 = run_batch([tmp_path / "in"], tmp_path / "o2", _pipe(TemplateLines()), _opts(jobs=2))
    assert _outputs(tmp_path / "o1") == _outputs(tmp_path / "o2")
    assert s1.counts() == s2.counts() and s1.documents == 20
    # the menu is in all 20 documents, the copyright line in 12: removed; the share line in 6: kept
    assert (tmp_path / "o1" / "site1" / "page1.txt").read_text() == "Share this article\nStory number 1 is unique.\n"
    assert (tmp_path / "o1" / "site0" / "page0.txt").read_text() == "Story number 0 is unique.\n"
    first = json.loads((tmp_path / "o1" / "d.jsonl").read_text().splitlines()[0])
    assert first["text"] == "Record 0.\n"
    manifest = json.loads((tmp_path / "o2" / MANIFEST).read_text())
    assert manifest["corpus"] == {"documents": 20, "template_lines": 3}


def test_context_reaches_the_filter(tmp_path):
    class Counts(BaseFilter):
        """Writes what the corpus pass told it in front of the text."""

        name = "counts"

        def corpus_keys(self, text):
            return {text.split()[0]}

        def propose(self, text, doc):
            key = text.split()[0]
            if key[0].isdigit():
                return []  # already counted: a filter's output is a fixed point of itself
            n = doc.context["template_lines"].get(key, 1)
            return [Edit(0, 0, f"{doc.context['documents']}:{n} ", "count", "test")]

    for i, word in enumerate(["alpha", "alpha", "beta"]):
        (tmp_path / f"{i}.txt").write_text(f"{word} text")
    run_batch([tmp_path], tmp_path / "o", _pipe(Counts()), _opts(jobs=2))
    got = [(tmp_path / "o" / f"{i}.txt").read_text() for i in range(3)]
    assert got == ["3:2 alpha text\n", "3:2 alpha text\n", "3:1 beta text\n"]
    manifest = json.loads((tmp_path / "o" / MANIFEST).read_text())
    assert manifest["corpus"] == {"documents": 3, "template_lines": 1}


def test_time_limit_kills_stuck_workers_python_and_c(tmp_path):
    for name, body in [("a", "fine"), ("b", "HANG-PY"), ("c", "fine too"), ("d", "HANG-C"), ("e", "last")]:
        (tmp_path / "in").mkdir(exist_ok=True)
        (tmp_path / "in" / f"{name}.txt").write_text(body + "  text")
    t0 = time.monotonic()
    stats = run_batch([tmp_path / "in"], tmp_path / "o", _pipe(Trouble()), _opts(jobs=2, timeout=3.0))
    assert time.monotonic() - t0 < 60
    assert stats.failed == 2 and stats.documents == 3
    assert sorted(p.name for p in (tmp_path / "o").glob("*.txt")) == ["a.txt", "c.txt", "e.txt"]
    errors = [json.loads(x) for x in (tmp_path / "o" / ERRORS).read_text().splitlines()]
    assert [Path(e["source"]).name for e in errors] == ["b.txt", "d.txt"]
    assert all("time limit" in e["error"] for e in errors)
    assert not [p for p in (tmp_path / "o").rglob("*") if p.name.endswith(".tmp")]


def test_crash_and_exception_cost_one_document_each(tmp_path):
    lines = [{"id": i, "text": t} for i, t in enumerate(["one", "CRASH", "two", "RAISE", "three", "FLAG  x"])]
    (tmp_path / "d.jsonl").write_text("".join(json.dumps(r) + "\n" for r in lines))
    stats = run_batch([tmp_path / "d.jsonl"], tmp_path / "o", _pipe(Trouble()), _opts(jobs=2))
    assert stats.failed == 2 and stats.documents == 4 and stats.flagged == 1
    out = [json.loads(x) for x in (tmp_path / "o" / "d.jsonl").read_text().splitlines()]
    assert [r["id"] for r in out] == [0, 2, 4, 5]
    assert out[-1]["metadata"]["flags"] == ["suspicious"]
    errors = [json.loads(x) for x in (tmp_path / "o" / ERRORS).read_text().splitlines()]
    assert "died" in errors[0]["error"] and "RuntimeError: boom" in errors[1]["error"]


def test_size_limit(tmp_path):
    (tmp_path / "big.txt").write_text("x" * 5000)
    (tmp_path / "small.txt").write_text("y")
    (tmp_path / "d.jsonl").write_text(json.dumps({"text": "z" * 5000}) + "\n" + json.dumps({"text": "ok"}) + "\n")
    stats = run_batch([tmp_path], tmp_path / "o", _pipe(), _opts(jobs=1, max_bytes=1000))
    assert stats.failed == 2 and stats.documents == 2


def test_resume_skips_complete_outputs_and_force_redoes(tmp_path):
    _corpus(tmp_path / "in", 6)
    _dataset(tmp_path / "in" / "d.jsonl", 5)
    first = run_batch([tmp_path / "in"], tmp_path / "o", _pipe(), _opts(jobs=2))
    assert first.documents == 11
    before = _outputs(tmp_path / "o")
    # lose one output, as if the run had been interrupted before it
    (tmp_path / "o" / "site0" / "page0.txt").unlink()
    again = run_batch([tmp_path / "in"], tmp_path / "o", _pipe(), _opts(jobs=2))
    assert again.documents == 1 and again.skipped == 6
    assert _outputs(tmp_path / "o") == before
    forced = run_batch([tmp_path / "in"], tmp_path / "o", _pipe(), _opts(jobs=2, force=True))
    assert forced.documents == 11 and forced.skipped == 0


def test_resume_refuses_outputs_made_with_other_options(tmp_path):
    _corpus(tmp_path / "in", 2)
    run_batch([tmp_path / "in"], tmp_path / "o", _pipe(), _opts(jobs=1))
    other = Pipeline([WhitespaceFilter(paragraph_breaks="keep")])
    with pytest.raises(BatchError, match="--force"):
        run_batch([tmp_path / "in"], tmp_path / "o", other, _opts(jobs=1))
    assert run_batch([tmp_path / "in"], tmp_path / "o", other, _opts(jobs=1, force=True)).documents == 2


def test_never_writes_outside_the_output_folder(tmp_path):
    _corpus(tmp_path / "in", 4)
    _dataset(tmp_path / "in" / "d.jsonl.gz", 3, gz=True)
    outside = _tree(tmp_path)
    run_batch([tmp_path / "in", str(tmp_path / "in" / "site0" / "*.txt")], tmp_path / "o", _pipe(), _opts(jobs=2))
    after = _tree(tmp_path)
    assert {k: v for k, v in after.items() if not k.startswith("o/")} == outside


def test_output_order_follows_input_order_with_uneven_work(tmp_path):
    class Slow(BaseFilter):
        name = "slow"

        def propose(self, text, doc):
            if text.startswith("slow"):
                time.sleep(0.2)
            return []

    rows = [{"id": i, "text": ("slow " if i % 17 == 0 else "") + f"doc {i}"} for i in range(120)]
    (tmp_path / "d.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    run_batch([tmp_path / "d.jsonl"], tmp_path / "o", _pipe(Slow()), _opts(jobs=2))
    out = [json.loads(x)["id"] for x in (tmp_path / "o" / "d.jsonl").read_text().splitlines()]
    assert out == list(range(120))


def test_clean_record_api_and_json_nesting():
    rec = {"text": "a  b", "meta2": 1, "metadata": json.dumps({"url": "u"})}
    out = clean_record(rec, filters=["whitespace"], default_id="r1", nested="json")
    assert out["id"] == "r1" and out["meta2"] == 1
    meta = json.loads(out["metadata"])
    assert meta["url"] == "u" and meta["cleanarticle"]["changes"] == 2
    assert restore(out["text"], changes_from_dicts(out["changes"])) == "a  b"
    with pytest.raises(ValueError, match="text"):
        clean_record({"body": "x"}, filters=["whitespace"])


def test_format_is_passed_only_to_pipelines_that_accept_it(tmp_path):
    calls = []

    class Recorder(Pipeline):
        def run(self, text, *, metadata=None, context=None, format=None):
            calls.append(format)
            return super().run(text, metadata=metadata, context=context)

    (tmp_path / "p.html").write_text("<p>a  b</p>")
    (tmp_path / "t.txt").write_text("a  b")
    from cleanarticle.batch import _State, dispatch
    from cleanarticle.runner import collect

    srcs = collect([str(tmp_path)], tmp_path / "o").sources
    state = _State(Recorder([WhitespaceFilter()]), None, _opts(), tmp_path / "o")
    for s in srcs:
        dispatch(state, ("file", s))
    assert calls == ["html", None]
    state = _State(_pipe(), None, _opts(format="html"), tmp_path / "o2")
    assert "summary" in dispatch(state, ("file", srcs[1]))  # plain Pipeline: no format, no error


def test_text_file_logs_restore_inputs(tmp_path):
    _corpus(tmp_path / "in", 5)
    run_batch([tmp_path / "in"], tmp_path / "o", _pipe(), _opts(jobs=2))
    for src in (tmp_path / "in").rglob("*.txt"):
        rel = src.relative_to(tmp_path / "in")
        out = tmp_path / "o" / rel
        log = changes_from_jsonl(out.with_name(src.stem + ".changes.jsonl").read_text())
        assert restore(out.read_text(), log) == src.read_text()


def test_the_corpus_context_is_read_only_for_filters(tmp_path):
    class Meddler(BaseFilter):
        name = "meddler"

        def corpus_keys(self, text):
            return {"k"}

        def propose(self, text, doc):
            doc.context["template_lines"]["k"] = 0  # must not leak into the next document
            return []

    for i in range(3):
        (tmp_path / f"{i}.txt").write_text("same text")
    stats = run_batch([tmp_path], tmp_path / "o", _pipe(Meddler()), _opts(jobs=1))
    assert stats.failed == 3
    errors = (tmp_path / "o" / ERRORS).read_text()
    assert "TypeError" in errors and "does not support item assignment" in errors


def test_one_run_per_output_folder_and_leftover_temporaries_are_swept(tmp_path):
    import fcntl

    _corpus(tmp_path / "in", 2)
    out = tmp_path / "o"
    (out / "site0").mkdir(parents=True)
    stale = out / "site0" / ".page0.txt.abc123.tmp"  # as a run killed with SIGKILL leaves it
    stale.write_text("half")
    fd = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # another run holds the folder
        with pytest.raises(BatchError, match="another run"):
            run_batch([tmp_path / "in"], out, _pipe(), _opts(jobs=1))
    finally:
        os.close(fd)
    assert stale.exists()
    assert run_batch([tmp_path / "in"], out, _pipe(), _opts(jobs=1)).documents == 2
    assert not stale.exists()
