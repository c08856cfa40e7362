"""Boilerplate detection from plain text: segmentation, features, model, labelling.

The filter itself is :class:`cleanarticle.filters.boilerplate.BoilerplateFilter`;
this package holds one concern a module: ``segment`` (lines and blocks), ``features``
(line features), ``model`` (tree inference), ``data`` (stopwords, phrase families),
``rules`` (rule ids and reasons), ``label`` (decisions).
"""

from .label import Block, label, template_keys
from .rules import RULES

__all__ = ["Block", "label", "template_keys", "RULES"]
