"""Small stand-in filters and output writers for the review tests.

The review tools read any change log, so the tests use two toy filters with
the names of real ones (a line-removing ``boilerplate`` and a word-fixing
``typos``) next to the real ``whitespace`` filter.
"""

from __future__ import annotations

import re
from pathlib import Path

from cleanarticle.edits import Edit, changes_to_jsonl
from cleanarticle.filters import create
from cleanarticle.pipeline import Pipeline


class ToyBoilerplate:
    name = "boilerplate"
    _line = re.compile(r"(?m)^(Subscribe|Sign up|Share this|We use cookies)[^\n]*\n?")

    def propose(self, text, doc):
        for m in self._line.finditer(text):
            rule = "cookie-notice" if m.group(1) == "We use cookies" else "newsletter"
            yield Edit(m.start(), m.end(), "", rule, f"a {rule.replace('-', ' ')} line, not article text")


class ToyTypos:
    name = "typos"
    _fix = {"teh": "the", "recieve": "receive"}
    _word = re.compile(r"\b(teh|recieve)\b")

    def propose(self, text, doc):
        for m in self._word.finditer(text):
            yield Edit(m.start(), m.end(), self._fix[m.group(1)], "misspelling", "a common misspelling")


def pipeline() -> Pipeline:
    return Pipeline([create("whitespace"), ToyBoilerplate(), ToyTypos()])


def write_outputs(out: Path, docs: dict[str, str], pipe: Pipeline | None = None) -> dict:
    """Clean each text and write NAME.txt + NAME.changes.jsonl like ``clean -o``."""
    pipe = pipe or pipeline()
    results = {}
    for name, text in docs.items():
        r = pipe.run(text, metadata={"source": f"in/{name}.txt"})
        base = out / name
        base.parent.mkdir(parents=True, exist_ok=True)
        base.with_name(base.name + ".txt").write_text(r.text, encoding="utf-8", newline="")
        base.with_name(base.name + ".changes.jsonl").write_text(changes_to_jsonl(r.changes),
                                                               encoding="utf-8", newline="")
        results[name] = r
    return results


EVIL = (
    "A headline <script>window.__pwned = 1</script>\n\n"
    "Body text with <img src=x onerror=\"window.__pwned = 2\"> and teh end </textarea> of it.\n"
    "Subscribe <b>now</b> <a href=\"javascript:window.__pwned = 3\">here</a>\n"
    "Last line </script><script>window.__pwned = 4</script> <!-- x --> done.\n"
)

ARTICLE = (
    "Rivers  rise after storm\n\n"
    "The river rose two metres overnight and teh town council closed the bridge.\n"
    "Subscribe to our newsletter for daily updates\n"
    "Residents will recieve sandbags from the fire station on Monday.\n\n"
    "We use cookies to improve your experience.\n"
    "Officials expect the water to fall by Friday.\n"
)
