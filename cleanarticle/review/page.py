"""``cleanarticle review``: one self-contained HTML page to review a run.

The page is built from the outputs alone (clean text + change log per document)
and works from disk with no network: the template, style sheet and script are
package data (``cleanarticle/review/assets/``) inlined at build time, and the
documents travel as JSON in a ``<script type="application/json">`` block.

Safety: document text only ever reaches the page as JSON data (every ``<`` written
as ``\\u003c``, so no text can close the block) and the script renders it with
``textContent``, never as HTML. A Content-Security-Policy allows exactly the
inline script and style of the page (by hash) and nothing else: no network, no
other script, no inline event handlers.

Determinism: the same outputs give a byte-identical page (no time stamps).

>>> from cleanarticle import clean
>>> from pathlib import Path
>>> r = clean("a  <script>alert(1)</script>")
>>> html = build_page([Reviewed("x", Path("x.txt"), r.text, tuple(r.changes))])
>>> "<script>alert" in html, "\\\\u003cscript\\\\u003ealert" in html
(False, True)
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from importlib import resources
from pathlib import Path
from typing import Iterable, Sequence

from ..edits import Change
from .load import Reviewed, attribution

__all__ = ["build_page", "write_page", "page_data", "DEFAULT_FLAG_SHARE"]

#: a document losing at least this share of its words is flagged for review
DEFAULT_FLAG_SHARE = 0.5
_PLACEHOLDER = re.compile(r"\{\{(CSP|TITLE|STYLE|SCRIPT|DATA)\}\}")


def _asset(name: str) -> str:
    return resources.files("cleanarticle.review").joinpath("assets", name).read_text(encoding="utf-8")


def _json_for_script(obj) -> str:
    """JSON that cannot end the <script> element it sits in, nor open a comment."""
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return (s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _history(c: Change) -> list[str]:
    """Every filter/rule that had a hand in a merged change, in order."""
    if not c.subsumes:
        return []
    return [f"{h.get('filter', '?')}/{h.get('rule', '?')}" for h in c.subsumes] + [f"{c.filter}/{c.rule}"]


def page_data(docs: Sequence[Reviewed], *, title: str = "cleanarticle review",
              flag_share: float = DEFAULT_FLAG_SHARE, flagged: Iterable[str] = ()) -> dict:
    """The JSON the page script reads. Filter, rule and reason strings are
    interned in tables, changes are arrays: 5,000 documents stay compact.

    ``flagged``: ids flagged by other means (e.g. a filter's over-removal guard),
    in addition to those losing ``flag_share`` or more of their words.
    """
    tables: dict[str, dict[str, int]] = {"filters": {}, "rules": {}, "reasons": {}}

    def intern(kind: str, s: str) -> int:
        t = tables[kind]
        if s not in t:
            t[s] = len(t)
        return t[s]

    extra = set(flagged)
    out_docs = []
    for d in docs:
        changes = []
        for c in d.changes:
            fname, rule, reason = attribution(c)
            row: list = [c.out_start, c.out_end, intern("filters", fname), intern("rules", rule),
                         intern("reasons", reason), c.before, c.start, c.end]
            hist = _history(c)
            if hist:
                row.append(hist)
            changes.append(row)
        out_docs.append({
            "id": d.id,
            "t": d.text,
            "w": d.words,
            "wr": d.words_removed,
            "flag": bool(d.id in extra or (d.words and d.share_removed >= flag_share)),
            "c": changes,
        })
    return {
        "title": title,
        "flagShare": flag_share,
        "filters": list(tables["filters"]),
        "rules": list(tables["rules"]),
        "reasons": list(tables["reasons"]),
        "docs": out_docs,
    }


def _sha256(s: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode("ascii")


def build_page(docs: Sequence[Reviewed], *, title: str = "cleanarticle review",
               flag_share: float = DEFAULT_FLAG_SHARE, flagged: Iterable[str] = ()) -> str:
    """The whole page as one string."""
    style = _asset("page.css")
    script = _asset("page.js")
    csp = ("default-src 'none'; "
           f"script-src '{_sha256(script)}'; "
           f"style-src '{_sha256(style)}'; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    values = {
        "CSP": html.escape(csp, quote=False),  # no " in it; keeps the policy readable
        "TITLE": html.escape(title, quote=True),
        "STYLE": style,
        "SCRIPT": script,
        "DATA": _json_for_script(page_data(docs, title=title, flag_share=flag_share, flagged=flagged)),
    }
    # one pass, so text inside the inserted values is never taken for a placeholder
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], _asset("page.html"))


def write_page(paths: Sequence[str | Path], output: str | Path, *, title: str | None = None,
               flag_share: float = DEFAULT_FLAG_SHARE) -> tuple[int, int]:
    """Build the page for the outputs under ``paths`` and write it atomically.

    Returns (documents, changes).
    """
    from ..runner import atomic_write
    from .load import load_outputs

    docs = load_outputs(paths)
    page = build_page(docs, title=title or "cleanarticle review", flag_share=flag_share)
    atomic_write(Path(output), page)
    return len(docs), sum(len(d.changes) for d in docs)
