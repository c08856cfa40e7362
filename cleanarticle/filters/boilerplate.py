"""The ``boilerplate`` filter: keep the article, remove the page around it, from text alone.

Labels every line (see :mod:`cleanarticle.boilerplate.label`), then proposes one
removal edit per non-article block, each with a rule id from
:data:`cleanarticle.boilerplate.RULES` and a specific reason. Byline and date go to
``metadata["author"]`` / ``metadata["published"]``; ``metadata["removed_share"]`` is
the share of words removed and ``metadata["flags"]`` gets ``"over-removal"`` when the
guard stepped in.

Options: ``max_removal`` (share of words, default 0.6), ``rules`` (TOML file of extra
phrases to remove / always keep), ``model`` (weights file), ``threshold`` (classifier
decision threshold), ``template_min_docs`` / ``template_share`` (batch template signal).

>>> from cleanarticle import clean
>>> text = ("Share on Facebook\\n\\nThe council approved the new budget on Monday after a long "
...         "debate, and the mayor said the plan would fund two schools.\\n\\nAdvertisement\\n\\n"
...         "Work on the first school is due to start in the spring, officials said.\\n")
>>> print(clean(text, filters=["whitespace", "boilerplate"]).text, end="")
The council approved the new budget on Monday after a long debate, and the mayor said the plan would fund two schools.
<BLANKLINE>
Work on the first school is due to start in the spring, officials said.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

from ..boilerplate.data import Family, compile_family, load_toml
from ..boilerplate.label import Block, Labeller, template_keys
from ..boilerplate.model import load_model
from ..edits import Edit
from . import BaseFilter

__all__ = ["BoilerplateFilter", "template_keys", "load_rules"]


def load_rules(path: str | Path) -> dict[str, tuple[list[re.Pattern[str]], list[Family]]]:
    """User rules from TOML: ``{lang or "*": (keep patterns, remove families)}``.

    Format::

        remove = ["sponsored by acme"]      # phrases, any language, case-insensitive
        keep = ["editor's note"]
        max_words = 60                      # remove only lines up to this many words
        [lang.es]
        remove = ["publicidad de acme"]
        keep = ["nota del editor"]
    """
    p = Path(path)
    try:
        data = load_toml(p)
    except FileNotFoundError:
        raise ValueError(f"boilerplate rules file not found: {p}") from None
    except Exception as exc:  # tomllib.TOMLDecodeError and friends
        raise ValueError(f"boilerplate rules file {p}: {exc}") from None
    max_words = int(data.get("max_words", 60))
    out: dict[str, tuple[list[re.Pattern[str]], list[Family]]] = {}

    def add(lang: str, table: dict, where: str) -> None:
        for field in ("remove", "keep"):
            v = table.get(field, [])
            if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
                raise ValueError(f"{where}: '{field}' must be a list of non-empty strings")
        keep = [re.compile(re.escape(x.strip()), re.IGNORECASE) for x in table.get("keep", [])]
        rem = [re.escape(x.strip()) for x in table.get("remove", [])]
        fams = [compile_family("user-rule", rem, max_words, where)] if rem else []
        if keep or fams:
            out[lang] = (keep, fams)

    add("*", data, str(p))
    for lang, table in sorted(data.get("lang", {}).items()):
        add(lang, table, f"{p} [lang.{lang}]")
    return out


class BoilerplateFilter(BaseFilter):
    """Remove boilerplate lines and blocks; keep the article (see the module doc)."""

    name = "boilerplate"
    description = "remove page boilerplate (menus, prompts, notices, credits, duplicates) from plain text"
    languages = None

    def __init__(self, *, max_removal: float = 0.6, rules: str | Path | None = None,
                 model: str | Path | None = None, threshold: float | None = None,
                 template_min_docs: int = 3, template_share: float = 0.1) -> None:
        if not 0.0 < max_removal <= 1.0:
            raise ValueError("max_removal must be in (0, 1]")
        self.max_removal = float(max_removal)
        self.model = load_model(str(model) if model else None)
        self.threshold = self.model.threshold if threshold is None else float(threshold)
        self.rules = load_rules(rules) if rules else {}
        self.template_min_docs = int(template_min_docs)
        self.template_share = float(template_share)

    def _labeller(self, lang: str) -> Labeller:
        keep: list[re.Pattern[str]] = []
        remove: list[Family] = []
        for key in ("*", lang):
            if key in self.rules:
                keep.extend(self.rules[key][0])
                remove.extend(self.rules[key][1])
        lab = Labeller(self.model, max_removal=self.max_removal, keep=keep, remove=remove,
                       template_min_docs=self.template_min_docs, template_share=self.template_share, threshold=self.threshold)
        return lab

    def label(self, text: str, doc: Any = None) -> list[Block]:
        """Labelled blocks covering every non-empty line of ``text``."""
        if doc is not None:
            lang = doc.language
            meta = doc.metadata
            ctx = doc.context
        else:
            from ..language import detect

            lang = detect(text)[0]
            meta, ctx = {}, {}
        return self._labeller(lang).label(text, lang, ctx, meta)

    def propose(self, text: str, doc: Any = None) -> Iterator[Edit]:
        blocks = self.label(text, doc)
        n = len(text)
        for idx, b in enumerate(blocks):
            if b.kind == "article":
                continue
            # remove the lines with the separator after them; at the end of the text,
            # take the separator before them instead, so the text still ends in "\n"
            nxt = next((blocks[j] for j in range(idx + 1, len(blocks))), None)
            if nxt is not None:
                start, end = b.start, nxt.start
            else:
                prev_kept = next((blocks[j] for j in range(idx - 1, -1, -1) if blocks[j].kind == "article"), None)
                if prev_kept is None:
                    start, end = b.start, n
                else:
                    start, end = min(b.start, prev_kept.end + 1), n
            yield Edit(start, end, "", b.rule, b.reason, confidence=round(1.0 - b.score, 4))
