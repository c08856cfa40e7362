"""The README's examples run as written."""

import re
from pathlib import Path

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_custom_filter_example_runs_and_is_short():
    blocks = re.findall(r"```python\n(.*?)```", README, re.S)
    example = next(b for b in blocks if "class NoShouting" in b)
    assert len(example.strip().splitlines()) <= 15
    exec(compile(example, "README.md", "exec"), {})


def test_quick_start_commands_are_the_ones_ci_runs():
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    cmd = re.search(r"^python3 -m venv .* -m pytest.*$", README, re.M).group(0)
    assert cmd in ci
