"""cleanarticle: messy article text in, clean canonical text and a change log out.

>>> from cleanarticle import clean, restore
>>> r = clean("Hello   world")
>>> r.text
'Hello world\\n'
>>> restore(r.text, r.changes)
'Hello   world'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# The public names, imported on first use: ``cleanarticle --help`` and worker
# start-up do not pay for modules they never touch.
_EXPORTS = {
    "clean": "pipeline", "Pipeline": "pipeline", "Result": "pipeline", "Document": "pipeline",
    "restore": "edits", "Change": "edits", "Edit": "edits",
    "changes_to_jsonl": "edits", "changes_from_jsonl": "edits",
    "Filter": "filters", "BaseFilter": "filters",
    "clean_record": "jsonl", "clean_records": "jsonl",
}

__all__ = [
    "clean", "restore", "Pipeline", "Result", "Change", "Edit", "Filter", "BaseFilter",
    "Document", "changes_to_jsonl", "changes_from_jsonl", "clean_record", "clean_records", "__version__",
]

if TYPE_CHECKING:  # pragma: no cover
    from .edits import Change, Edit, changes_from_jsonl, changes_to_jsonl, restore
    from .filters import BaseFilter, Filter
    from .jsonl import clean_record, clean_records
    from .pipeline import Document, Pipeline, Result, clean


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'cleanarticle' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
