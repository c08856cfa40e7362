"""cleanarticle: messy article text in, clean canonical text and a change log out.

>>> from cleanarticle import clean, restore
>>> r = clean("Hello   world")
>>> r.text
'Hello world\\n'
>>> restore(r.text, r.changes)
'Hello   world'
"""

from __future__ import annotations

from .edits import Change, Edit, changes_from_jsonl, changes_to_jsonl, restore
from .filters import BaseFilter, Filter
from .pipeline import Document, Pipeline, Result, clean

__version__ = "0.1.0"

__all__ = [
    "clean", "restore", "Pipeline", "Result", "Change", "Edit", "Filter", "BaseFilter",
    "Document", "changes_to_jsonl", "changes_from_jsonl", "__version__",
]
