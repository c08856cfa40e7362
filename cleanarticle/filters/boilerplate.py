"""The ``boilerplate`` filter: keep the article, remove the page around it, from text alone.

Labels every line (see :mod:`cleanarticle.boilerplate.label`), then proposes one
removal edit per non-article block, each with a rule id from
:data:`cleanarticle.boilerplate.RULES` and a specific reason. Byline and date go to
``metadata["author"]`` / ``metadata["published"]``; ``metadata["removed_share"]`` is
the share of words removed and ``metadata["flags"]`` gets ``"over-removal"`` when the
guard stepped in.

Options: ``max_removal`` (share of the words no rule settled that the classifier may
remove before the guard steps in, default 0.6), ``rules`` (TOML file of extra
phrases to remove / always keep), ``model`` (weights file), ``threshold`` (classifier
decision threshold), ``uncertain`` (what the guard keeps: scores of at least
``threshold - uncertain``), ``template_min_docs`` / ``template_share`` (batch template
signal).

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
from typing import Any, Iterator, Sequence

from ..boilerplate.data import Family, compile_family, load_toml
from ..boilerplate.features import describe
from ..boilerplate.label import Block, Labeller, template_keys
from ..boilerplate.model import load_model
from ..boilerplate.segment import WORD, Line, split_lines
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
    # In a pipeline the first call labels once and returns; the pass that checks the kept
    # text waits for the settle round, after the filters behind this one have made their
    # edits (see :meth:`propose`). So the pipeline runs it again after its own edits.
    idempotent = False

    def __init__(self, *, max_removal: float = 0.6, rules: str | Path | None = None,
                 model: str | Path | None = None, threshold: float | None = None,
                 template_min_docs: int = 3, template_share: float = 0.1,
                 uncertain: float = 0.45) -> None:
        if not 0.0 < max_removal <= 1.0:
            raise ValueError("max_removal must be in (0, 1]")
        self.max_removal = float(max_removal)
        self.model = load_model(str(model) if model else None)
        self.threshold = self.model.threshold if threshold is None else float(threshold)
        self.rules = load_rules(rules) if rules else {}
        self.template_min_docs = int(template_min_docs)
        self.template_share = float(template_share)
        self.uncertain = float(uncertain)
        # (language, text, the pass, metadata written, lines) of the latest pass
        self._last_pass: tuple[str, str, _Pass, dict, list[Line]] | None = None

    def _labeller(self, lang: str) -> Labeller:
        keep: list[re.Pattern[str]] = []
        remove: list[Family] = []
        for key in ("*", lang):
            if key in self.rules:
                keep.extend(self.rules[key][0])
                remove.extend(self.rules[key][1])
        return Labeller(self.model, max_removal=self.max_removal, keep=keep, remove=remove,
                        template_min_docs=self.template_min_docs, template_share=self.template_share,
                        threshold=self.threshold, uncertain=self.uncertain)

    def warm(self) -> None:
        """Compile the phrase families, stopword lists of every language with data and the
        compiled scoring (when numba is installed)."""
        from ..boilerplate import compiled
        from ..boilerplate.data import DATA_DIR, stopwords
        from ..boilerplate.facts import family_checks
        from ..boilerplate.hints import fold

        compiled.warm()  # the compiled scoring, when numba is installed

        fold("\u212a")  # builds the case-folding table
        langs = {p.stem for p in (DATA_DIR / "phrases").glob("*.toml")}
        langs |= {p.stem for p in (DATA_DIR / "stopwords").glob("*.txt")}
        for lang in sorted(langs):
            family_checks(lang, ())  # the phrase families and their hint index
            stopwords(lang)

    def label(self, text: str, doc: Any = None) -> list[Block]:
        """Labelled blocks covering every non-empty line of ``text``.

        Labelling runs to a fixed point: the kept text is labelled again (its lines now
        have different neighbours) until a pass removes nothing, at most ``_PASSES``
        times. So cleaning the output again removes nothing more (idempotence).
        """
        return self._label(text, doc)[0]

    def _label(self, text: str, doc: Any = None, passes: int = 0,
               grouped: bool = True) -> tuple[list[Block], list[Line]]:
        """:meth:`label`, and ``split_lines(text)``; at most ``passes`` passes (0: up to
        ``_PASSES``, to a fixed point). ``grouped=False``: no blocks (``[]``) when every
        line is kept (what :meth:`propose` needs to know, without grouping them)."""
        if doc is not None:
            lang = doc.language
            meta = doc.metadata
            ctx = doc.context
            # the pipeline may run this filter again on its own output (settling): the
            # share removed is over the words of the text it first saw, in every round
            state = doc.state.setdefault(self.name, {})
        else:
            from ..language import detect

            lang = detect(text)[0]
            meta, ctx, state = {}, {}, {}
        last = self._last_pass
        if last is not None and last[0] == lang and last[1] == text and last[2].article \
                and not (ctx or {}).get("template_lines"):
            # this very text was labelled and nothing was to go: a fixed point (the
            # pipeline settling meets the filter's own output again)
            _merge_meta(meta, last[3])
            self._share(meta, state, lambda: len(WORD.findall(text)), 0)
            return (last[2].blocks if grouped else []), last[4]
        lab = self._labeller(lang)
        lines = split_lines(text)
        kept, skip = _caller_wishes(meta, lines)
        cache = _line_facts()
        # words per line from the line facts (the first pass looks them up again)
        nwords = [i.nwords for i in describe(lines, lang, lab.remove, cache)]
        alive = list(range(len(lines)))
        final: list[tuple[str, str, str, float] | None] = [None] * len(lines)
        removed_words = 0
        removed_any = False
        passes = passes or _PASSES
        for pass_no in range(passes):
            sub = _rebuild(lines, alive)
            # each pass sees only its text (no memory of earlier passes): the last pass,
            # which removes nothing, is then exactly what cleaning the output again sees
            done = self._label_pass(lab, sub, lang, ctx, meta, cache, lines if sub == text else None)
            if done.article and not (grouped or removed_any):
                break  # nothing goes, and no caller needs the blocks of a text kept whole
            if pass_no == 0 and passes < _PASSES and not (grouped or kept or skip) and sub == text:
                # the one pass the caller asked for, over the text as it is, nothing kept
                # or skipped on request: its blocks are the answer (below), its lines
                # with a rule are those that go (a block is "article" when it has none)
                removed_any = True
                removed_words += sum(nwords[k] for k, d in enumerate(done.dec) if d.rule)
                break
            gone: list[int] = []
            for b in done.blocks:
                # one tuple of fields for the whole block: _group sees its lines as one run
                # by identity before comparing fields
                fields = (b.kind, b.rule, b.reason, b.score)
                ks = alive[b.first_line:b.last_line + 1]
                if b.kind != "article" and b.rule in skip:
                    fields = ("article", "", "", b.score)  # the caller asked to keep it
                elif b.kind != "article":
                    if kept:
                        for orig in ks:
                            final[orig] = ("article", "", "", b.score) if orig in kept else fields
                        gone += (orig for orig in ks if orig not in kept)
                        continue
                    gone += ks
                for orig in ks:
                    final[orig] = fields
            if not gone:
                break
            removed_any = True
            removed_words += sum(nwords[k] for k in gone)
            if passes < _PASSES:  # the caller runs the next pass
                break
            if pass_no == _PASSES - 1:  # still removing: say so rather than pretend to a fixed point
                meta.setdefault("flags", []).append("boilerplate-not-settled")
            dead = set(gone)
            alive = [k for k in alive if k not in dead]
        self._share(meta, state, lambda: sum(nwords), removed_words)
        if not (grouped or removed_any):
            return [], lines  # (every line of ``final`` is an article line)
        if not grouped and pass_no == 0 and sub == text and not kept and not skip:
            # one pass over the text as it is, nothing the caller asked for: its own blocks
            # are the ones that go (regrouping may only join article blocks, which
            # propose does not read)
            return done.blocks, lines
        return _group(lines, final), lines

    @staticmethod
    def _share(meta: dict, state: dict, words, removed: int) -> None:
        """``metadata["removed_share"]``: words removed in every round so far, over the
        words of the text this filter first saw (``words()`` counts the current one)."""
        first = state["words"] if "words" in state else state.setdefault("words", words())
        state["removed"] = state.get("removed", 0) + removed
        if first:
            meta["removed_share"] = round(min(1.0, state["removed"] / first), 4)

    def _label_pass(self, lab: Labeller, sub: str, lang: str, ctx: Any, meta: dict, cache: dict,
                    lines: list[Line] | None) -> "_Pass":
        """One labelling pass over ``sub``; the same text again costs a lookup.

        The pipeline settles each filter, so the pass that found nothing more to remove
        meets its own text again as the first pass of the next run. Blocks depend only
        on the text, the language and the run's template lines (no template lines here:
        those may change between runs); the metadata a pass writes is collected in its
        own dict and merged by :func:`_merge_meta` exactly as the labeller writes it.
        ``lines``: ``split_lines(sub)`` if the caller has it.
        """
        if (ctx or {}).get("template_lines"):
            written: dict = {}
            done = _Pass(*lab.decide(sub, lang, ctx, written, cache=cache, lines=lines))
        else:
            last = self._last_pass
            if last is not None and last[0] == lang and last[1] == sub:
                done, written = last[2], last[3]
            else:
                written = {}
                if lines is None:
                    lines = split_lines(sub)
                done = _Pass(*lab.decide(sub, lang, ctx, written, cache=cache, lines=lines))
                self._last_pass = (lang, sub, done, written, lines)
        _merge_meta(meta, written)
        return done

    def propose(self, text: str, doc: Any = None) -> Iterator[Edit]:
        """Removal edits for the non-article blocks.

        In a pipeline (``doc`` given) the first call of a document makes one labelling
        pass: the pass that checks the kept text (its lines have new neighbours) then runs
        in the pipeline's settle round, on the text the later filters (typos,
        transliteration) have edited, which that round has to label anyway. Later calls
        label to a fixed point. Without ``doc``, the first call does too.
        """
        passes = 0
        if doc is not None:
            state = doc.state.setdefault(self.name, {})
            passes = 0 if state.get("called") else 1
            state["called"] = True
        blocks, lines = self._label(text, doc, passes, grouped=False)
        if all(b.kind == "article" for b in blocks):
            return
        owner: list[Block | None] = [None] * len(lines)
        for b in blocks:
            if b.kind != "article":
                owner[b.first_line:b.last_line + 1] = [b] * (b.last_line + 1 - b.first_line)
        n = len(text)
        # the removed lines that end the text: their spans run from the newline after the
        # last kept line to the end, so the text ends as the whitespace filter leaves it
        # (nothing left for it to trim: the filters before this one need not run again)
        tail = len(lines)
        while tail > 0 and owner[tail - 1] is not None:
            tail -= 1
        at = lines[tail - 1].end + 1 if tail else 0
        k = 0
        while k < len(lines):
            if owner[k] is None:
                k += 1
                continue
            # a maximal run of removed lines inside one paragraph
            j = k
            while j + 1 < len(lines) and owner[j + 1] is not None and lines[j + 1].block == lines[k].block:
                j += 1
            if tail and k >= tail:
                start = at
                end = at = n if j + 1 == len(lines) else lines[j].end
            else:
                start, end = _span(lines, owner, k, j, n)
            # split the span between the labelled blocks it covers
            cuts = [m for m in range(k + 1, j + 1) if owner[m] is not owner[m - 1]]
            bounds = [start] + [lines[m].start for m in cuts] + [end]
            for (s0, e0), m in zip(zip(bounds, bounds[1:]), [k] + cuts):
                b = owner[m]
                yield Edit(s0, e0, "", b.rule, b.reason, confidence=round(1.0 - b.score, 4))
            k = j + 1


_PASSES = 16

# per-line facts (words, key, stopwords, phrase family, text features) by stopword set,
# language and extra families, shared by labelling passes and documents: the pipeline's
# settle run, repeated lines (a site's template) and later passes cost a lookup. The
# facts are a function of the line's text and that key alone, so sharing them cannot
# change a result. Between documents, once a generation holds more than
# _FACTS_MAX_LINES lines it becomes the old one and a new one starts; a line found in
# the old generation moves to the new: the lines still in use stay, memory stays bounded.
_FACTS: dict = {}
_FACTS_MAX_LINES = 4_000


class _Memo(dict):
    """One generation of line facts, falling back on the previous generation."""

    __slots__ = ("old",)

    def __init__(self, old: dict | None = None) -> None:
        super().__init__()
        self.old = old if old is not None else {}

    def get(self, key, default=None):
        value = dict.get(self, key)
        if value is None:
            value = self.old.get(key)
            if value is None:
                return default
            self[key] = value
        return value


def _line_facts() -> dict:
    if sum(len(m) for m in list(_FACTS.values())) > _FACTS_MAX_LINES:
        for key, memo in list(_FACTS.items()):
            if isinstance(memo, _Memo):
                memo.old = {}  # the generation before it goes
            _FACTS[key] = _Memo(memo)
    return _FACTS


def _merge_meta(meta: dict, written: dict) -> None:
    """Apply to ``meta`` what a labelling pass wrote into the empty dict ``written``.

    The labeller sets ``published`` with ``setdefault``, ``author`` only when absent,
    adds ``"over-removal"`` to ``flags`` once and sets ``removed_share``; the same
    operations in the same order give ``meta`` exactly what writing into it directly
    would (values and key order).
    """
    for key, value in written.items():
        if key == "published":
            meta.setdefault(key, value)
        elif key == "author":
            if key not in meta:
                meta[key] = value
        elif key == "flags":
            flags = meta.setdefault("flags", [])
            for flag in value:
                if flag not in flags:
                    flags.append(flag)
        else:
            meta[key] = value


def _caller_wishes(meta: dict, lines: list) -> tuple[set[int], frozenset[str]]:
    """Lines the caller wants kept (``metadata["keep_lines"]``, compared with spaces
    collapsed: e.g. the comment section HTML extraction was asked to include) and
    rules not to apply (``metadata["skip_rules"]``: layout rules an HTML extractor
    already applied)."""
    wanted = meta.get("keep_lines")
    wanted = ({" ".join(w.split()) for w in wanted if isinstance(w, str)}
              if isinstance(wanted, (list, tuple)) else set())
    kept = {k for k, ln in enumerate(lines) if " ".join(ln.text.split()) in wanted} if wanted else set()
    skip = meta.get("skip_rules")
    skip = frozenset(r for r in skip if isinstance(r, str)) if isinstance(skip, (list, tuple)) else frozenset()
    return kept, skip


class _Pass:
    """One labelling pass: its lines, their decisions and stage-2 scores; the blocks
    (:meth:`Labeller.label`'s answer) are grouped only when asked for."""

    __slots__ = ("lines", "dec", "s2", "article", "_blocks")

    def __init__(self, lines: Sequence[Line], dec: list, s2: list[float]) -> None:
        self.lines, self.dec, self.s2 = lines, dec, s2
        self.article = not any(d.rule for d in dec)  # every line stays (a block is "article")
        self._blocks: list[Block] | None = None

    @property
    def blocks(self) -> list[Block]:
        if self._blocks is None:
            self._blocks = Labeller._blocks(self.lines, self.dec, self.s2)
        return self._blocks


def _rebuild(lines: list[Line], alive: list[int]) -> str:
    """The text of the ``alive`` lines, paragraphs as in the original."""
    parts: list[str] = []
    prev = None
    for k in alive:
        if prev is not None:
            parts.append("\n" if lines[k].block == lines[prev].block else "\n\n")
        parts.append(lines[k].text)
        prev = k
    if parts:
        parts.append("\n")
    return "".join(parts)


def _group(lines: list[Line], final: list) -> list[Block]:
    out: list[Block] = []
    k = 0
    n = len(lines)
    while k < n:
        lab = final[k]
        j = k + 1
        if lab[0] not in ("byline", "dateline"):
            head = lab[:3]
            blk = lines[k].block
            art = lab[0] == "article"
            while j < n and (final[j] is lab or final[j][:3] == head) and (not art or lines[j].block == blk):
                j += 1
        score = lab[3] if j == k + 1 else sum(f[3] for f in final[k:j]) / (j - k)  # x / 1 == x
        out.append(Block(lines[k].start, lines[j - 1].end, lab[0], lab[1], lab[2], round(score, 4), k, j - 1))
        k = j
    return out


def _span(lines: list[Line], owner: list, k: int, j: int, n: int) -> tuple[int, int]:
    """Span removing lines ``k..j`` (a maximal removed run in one paragraph).

    Kept lines before them in the paragraph: take the newline before the run (the
    paragraph goes on or ends there). Kept lines after them: take up to the next
    line. The whole paragraph: take it with the separator after it. (Runs that end
    the text do not come here: :meth:`BoilerplateFilter.propose` gives them the span
    from the newline after the last kept line to the end.)
    """
    blk = lines[k].block
    if k > 0 and lines[k - 1].block == blk:
        return lines[k - 1].end, lines[j].end
    if j + 1 < len(lines):
        return lines[k].start, lines[j + 1].start
    return lines[k].start, n
