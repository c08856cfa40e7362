"""The ``ascii`` filter: fold text to ASCII with unidecode (off by default).

For users whose downstream tools accept ASCII only. It is lossy by design
(``Zürich`` becomes ``Zurich``, ``Москва`` becomes ``Moskva``, ``“`` becomes
``"``), so it is never on by default, runs last, and logs every folded run of
characters with the rule ``unidecode`` (or ``unidecode-drop`` where unidecode
has no ASCII form and the characters are removed, e.g. most emoji).

Options: ``keep`` — characters to leave alone (e.g. ``keep="€£"``);
``drop_unknown`` (default True) — remove characters unidecode cannot fold,
otherwise leave them in place (and the output is then not pure ASCII).

>>> from cleanarticle import clean
>>> clean("Zürich — “Grüezi”", filters=["ascii"]).text
'Zurich -- "Gruezi"'
"""

from __future__ import annotations

import re
import warnings
from typing import Iterator

from ..edits import Edit
from . import BaseFilter

_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


class AsciiFilter(BaseFilter):
    """unidecode folding, one edit per run of non-ASCII characters."""

    name = "ascii"
    description = "fold every non-ASCII character to ASCII (unidecode); off by default"

    def __init__(self, *, keep: str = "", drop_unknown: bool = True) -> None:
        self.keep = frozenset(keep)
        self.drop_unknown = drop_unknown
        self._rx = _NON_ASCII if not keep else re.compile(
            "[^\\x00-\\x7f" + "".join(re.escape(c) for c in sorted(self.keep)) + "]+")

    def propose(self, text: str, doc=None) -> Iterator[Edit]:
        if text.isascii():
            return
        from unidecode import unidecode

        for m in self._rx.finditer(text):
            run = m.group()
            with warnings.catch_warnings():
                # a lone surrogate gets a RuntimeWarning from unidecode; it has no ASCII
                # form and is dropped like any other such character, with its log entry
                warnings.simplefilter("ignore", RuntimeWarning)
                folded = unidecode(run)
            if not folded:
                if not self.drop_unknown:
                    continue
                yield Edit(m.start(), m.end(), "", "unidecode-drop",
                           "no ASCII form for these characters: removed")
            else:
                yield Edit(m.start(), m.end(), folded, "unidecode",
                           "non-ASCII characters folded to their closest ASCII form")
