"""Reviewing a run from its outputs alone: terminal diffs and an HTML review page.

Both views read what ``cleanarticle clean PATH -o DIR`` wrote (``X.txt`` with
``X.changes.jsonl`` beside it) and rebuild the original with
:func:`cleanarticle.restore`; nothing is cleaned again.

- :mod:`cleanarticle.review.diff`: ``cleanarticle diff`` (word-level colour diff,
  ``--stat``, ``--format unified``).
- :mod:`cleanarticle.review.page`: ``cleanarticle review`` and ``clean --report``
  (one self-contained HTML file; the reviewer's corrections export as an
  overrides TOML, see :mod:`cleanarticle.overrides`).
"""

from .load import Reviewed, ReviewInputError, attribution, find_outputs, load_outputs

__all__ = ["Reviewed", "ReviewInputError", "attribution", "find_outputs", "load_outputs"]
