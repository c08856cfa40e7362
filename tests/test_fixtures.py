"""Golden fixtures: the default pipeline on every seed must give exactly the reviewed output.

Regenerate ONLY with the documented command (see README, "Golden fixtures") and read the diff
of every regenerated file line by line before committing it.
"""

import difflib
from pathlib import Path

import pytest

from cleanarticle import changes_to_jsonl, clean, restore

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def _diff(expected: str, actual: str, name: str) -> str:
    return "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                        f"fixtures/{name}", "pipeline output", n=1))[:4000]


def test_seeds_are_present():
    assert len(SEEDS) == 5


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_matches_golden_fixture(seed):
    raw = seed.read_bytes()
    result = clean(raw)
    fixture_text = (ROOT / "fixtures" / (seed.stem + ".txt")).read_text(encoding="utf-8")
    fixture_log = (ROOT / "fixtures" / (seed.stem + ".changes.jsonl")).read_text(encoding="utf-8")
    assert result.text == fixture_text, _diff(fixture_text, result.text, seed.stem + ".txt")
    log = changes_to_jsonl(result.changes)
    assert log == fixture_log, _diff(fixture_log, log, seed.stem + ".changes.jsonl")
    assert restore(result.text, result.changes) == raw.decode("utf-8")
