"""Label first, delete second: every line of a canonical text gets a kind, rule and reason.

:func:`label` returns :class:`Block` objects covering all non-empty lines: ``kind``
is ``"article"``, ``"boilerplate"``, ``"byline"`` or ``"dateline"``. The filter turns
non-article blocks into edits; a review tool can show all of them.

Decision order for a line (first that applies wins):

1. user keep rule -> article; user remove rule -> ``user-rule``;
2. site template (batch context: the line recurs in many documents of the run);
3. country/edition picker (several glued ``nameNAME`` tokens);
4. duplicate of an earlier line (the copy with the best article score is kept), or a
   headline repeated at the end;
5. byline / dateline in the article's header (moved to metadata), other bare
   timestamps;
6. a phrase family (cookie notice, newsletter prompt...) on a short line, unless the
   classifier scores the line as article prose (>= 0.7) and it has more than 8 words
   (families marked ``override`` apply regardless);
7. the two-stage classifier (features + context smoothing), with a reason from the
   line's situation (outside the article, link list, short fragment);
   copies of a one- or two-word line share the decision most of them got;
8. headings the classifier doubted are kept (headline, standfirst, subheadings);
   a line without a letter or digit stays only between two kept lines with words.

Then the over-removal guard: if the classifier would remove more than ``max_removal``
of the words no rule settled, the uncertain classifier removals (scored within
``uncertain`` of the threshold) are kept and the document is flagged ``over-removal``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Mapping, NamedTuple, Sequence

from .data import Family
from .facts import LineInfo
from .features import describe, main_region
from .features import scores as feature_scores
from .model import Model
from .rules import KIND, reason
from .segment import Line, split_lines

__all__ = ["Block", "label", "Labeller", "template_keys"]

_BYLINE = re.compile(r"^(?:by|von|por|par|di|door)\s+(.{3,80}?)\s*$", re.IGNORECASE)
_NAME_LINE = re.compile(r"^[A-Z\u00c0-\u00de][\w'’.-]+(?: [A-Z\u00c0-\u00de][\w'’.-]+){1,3}$")
_DATELINE_BY = re.compile(r"\b(?:by|von|por|par)\s+([A-Z\u00c0-\u00de][\w'’.-]+(?: [A-Z\u00c0-\u00de][\w'’.-]+){0,3})\s*$")
_HEADER_LINES = 40
_KEPT_REASONS = {"article": "article text", "headline": "headline or standfirst above the article",
                 "subheading": "subheading between article paragraphs"}  # how far before the article core a byline/dateline may sit


class Block(NamedTuple):
    """A labelled run of lines: ``text[start:end]`` (line text, without the newline).

    Immutable; a named tuple, so the many a long page needs cost little to make.
    """

    start: int
    end: int
    kind: str
    rule: str
    reason: str
    score: float
    first_line: int = 0
    last_line: int = 0


class _Decision(NamedTuple):
    """What the rules decided for a line (immutable: undecided lines share :data:`_KEEP`)."""

    rule: str = ""  # "" = article
    reason: str = ""
    soft: bool = False  # classifier-only removal: the guard may undo it
    kept_as: str = ""  # for article lines a rule may name why it is kept ("headline"...)


_KEEP = _Decision()


@lru_cache(maxsize=None)
def _ruled(rule: str) -> _Decision:
    """Remove by ``rule``, with its reason (no details): one shared decision per rule, as
    undecided lines share :data:`_KEEP` (a thread of 60,000 comment lines made as many)."""
    return _Decision(rule, reason(rule))


# families whose prompts run over several paragraphs: a paragraph between two of them is one too
_PROSE_FAMILIES = frozenset({"subscription-plea", "cookie-notice", "newsletter", "comments-widget",
                             "notification-prompt"})
_WIDGET_FAMILIES = frozenset({"feedback-prompt", "share-buttons", "navigation", "reader-callout",
                              "press-release"})
_PROMPT_FAMILIES = _PROSE_FAMILIES | _WIDGET_FAMILIES
_TITLE_END_BAD = (".", ",", ";", ":", "|", "-", "–", "—")
_ALL_CAPS_CREDIT = re.compile(
    r"(REUTERS|AFP|AP|EFE|EPA|DPA|GETTY IMAGES|GETTY|ANADOLU|XINHUA|SHUTTERSTOCK|BLOOMBERG|PA|ANSA)\)?$")


def _title_like(info: LineInfo, lo: int = 1, hi: int = 14) -> bool:
    t = info.text.strip()
    return (lo <= info.nwords <= hi and (t[:1].isupper() or t[:1].isdigit() or t[:1] in "\"“‘'¿¡")
            and not t.endswith(_TITLE_END_BAD) and info.family is None
            and not (info.letters >= 4 and info.upper == info.letters)
            and "|" not in t and "http" not in t)


_SENTENCE_END = (".", "!", "?", "\"", "”")
# one-line labels a page puts between the paragraphs of an article body
_BODY_LABELS = frozenset({"advertising", "related-links"})
_BULLET = re.compile(r"(?:[-\u2013\u2022*\u00b7\u25aa]|\d{1,2}[.)])\s")


_EMAIL = re.compile(r"\S@\w[\w-]*\.\w")
_PHONE_CHARS = frozenset("0123456789 ()./-+")


def _phone(text: str) -> bool:
    """A phone number, perhaps after "Tel." / "Phone:": seven digits or more, and
    nothing but digits, spaces and ``()./-+``."""
    low = text.lower()
    for label in ("tel", "phone", "mobile", "fax"):
        if low.startswith(label):
            text = text[len(label):].lstrip(".: ")
            break
    return sum(ch.isdigit() for ch in text) >= 7 and all(ch in _PHONE_CHARS for ch in text)


def _contact_detail(info: LineInfo) -> bool:
    """A line of a contact block: an e-mail address, a phone number or a short name
    (at most four words, no function word, no sentence end)."""
    t = info.text.strip()
    if _EMAIL.search(t) and info.nwords <= 8:
        return True
    if _phone(t):
        return True
    return 1 <= info.nwords <= 4 and not info.stop and not t.endswith(_SENTENCE_END)


def _list_item(text: str) -> bool:
    """Does the line read as an item of a list in a sentence: a lower-case first letter,
    a bullet or number first, or a ";" / "," end?"""
    t = text.strip()
    return t[:1].islower() or bool(_BULLET.match(t)) or t.endswith((";", ","))


def _sentence(info: LineInfo, min_words: int, min_stop: float = 0.2, strict: bool = True) -> bool:
    """A sentence of at least ``min_words`` words: function words and a sentence end;
    ``strict``: also a capital, digit or quote first, and no trailing ellipsis (a teaser,
    "Tell us what you think...")."""
    t = info.text.strip()
    if not (info.nwords >= min_words and info.stop >= min_stop * info.nwords and t.endswith(_SENTENCE_END)):
        return False
    return not strict or ((t[:1].isupper() or t[:1].isdigit() or t[:1] in "\"“‘'¿¡")
                          and not t.endswith(("..", "…")))


def _list_items(infos: Sequence[LineInfo], lines: Sequence[Line], dec: Sequence["_Decision"], k: int) -> int:
    """How many list items follow line ``k`` in its paragraph, if ``k`` is a sentence
    introducing them ("The plan includes:"); 0 otherwise. Items: at least two short lines
    without a phrase family that no rule (only the classifier) removed, each reading as an
    item of a sentence (lower case, a bullet or a number first, or a ";" / "," end):
    capitalised lines under "More on this topic:" are the headlines of links."""
    i = infos[k]
    t = i.text.strip()
    if not (t.endswith(":") and i.nwords >= 3 and i.stop and t[:1].isupper()):
        return 0
    j = k + 1
    while j < len(lines) and lines[j].block == lines[k].block:
        item = infos[j]
        if (dec[j].rule and not dec[j].soft) or item.family is not None or not 1 <= item.nwords <= 25 \
                or item.text.rstrip().endswith(":") or not _list_item(item.text):
            return 0
        j += 1
    return j - k - 1 if j - k - 1 >= 2 else 0


_LEAD_LINES = 3  # doubted sentences above the first kept paragraph taken for the lead
_PROMPT_BLOCK_LINES = 8  # a paragraph up to this long is one prompt if a line of it is one


def _prompt_reach(lines: Sequence[Line], dec: Sequence["_Decision"]) -> list[bool]:
    """Lines that may belong to a prompt (a plea, a newsletter box...): in the paragraph
    of a prompt line, and within two lines of it when the paragraph is long (a page
    pasted without blank lines is one paragraph of menus, article and prompts)."""
    n = len(lines)
    out = [False] * n
    for k in range(n):
        if dec[k].rule not in _PROMPT_FAMILIES:
            continue
        blk = lines[k].block
        if lines[k].block_lines <= _PROMPT_BLOCK_LINES:
            lo, hi = k, k
            while lo > 0 and lines[lo - 1].block == blk:
                lo -= 1
            while hi + 1 < n and lines[hi + 1].block == blk:
                hi += 1
        else:
            lo, hi = max(0, k - 2), min(n - 1, k + 2)
        for j in range(lo, hi + 1):
            if lines[j].block == blk:
                out[j] = True
    return out


def template_keys(text: str) -> set[str]:
    """Normalised keys of the lines of ``text`` that could be site template.

    Lines of at most 60 words (longer ones are prose, not template); the batch
    runner counts in how many documents each key appears.

    >>> sorted(template_keys("Share this story\\n\\nA long line of words.\\n"))
    ['a long line of words', 'share this story']
    """
    from .segment import line_key

    out = set()
    for ln in split_lines(text):
        k = line_key(ln.text)
        if k and k.count(" ") < 60:
            out.add(k)
    return out


class Labeller:
    """Holds the model and user rules; :meth:`label` labels one text."""

    def __init__(self, model: Model, *, max_removal: float = 0.6, keep: Sequence[re.Pattern[str]] = (),
                 remove: Sequence[Family] = (), template_min_docs: int = 3,
                 template_share: float = 0.1, threshold: float | None = None,
                 uncertain: float = 0.45) -> None:
        self.model = model
        self.uncertain = uncertain
        self.threshold = model.threshold if threshold is None else threshold
        self.max_removal = max_removal
        self.keep = tuple(keep)
        self.remove = tuple(remove)
        self.template_min_docs = template_min_docs
        self.template_share = template_share

    # -- scoring -------------------------------------------------------------
    def scores(self, infos: Sequence[LineInfo], lines: Sequence[Line]) -> tuple[list[float], list[float]]:
        return feature_scores(self.model, infos, lines)

    # -- labelling -----------------------------------------------------------
    def label(self, text: str, lang: str, context: Mapping[str, Any] | None = None,
              metadata: dict[str, Any] | None = None, *, prior_total: int = 0,
              prior_removed: int = 0, protect: frozenset[int] | set[int] = frozenset(),
              cache: dict | None = None, lines: Sequence[Line] | None = None) -> list[Block]:
        """Blocks of ``text``. ``prior_*``: words of the original document and words
        already removed by earlier passes (the guard counts the share over both).
        ``lines``: ``split_lines(text)`` if the caller has it already."""
        return self._blocks(*self.decide(text, lang, context, metadata, prior_total=prior_total,
                                         prior_removed=prior_removed, protect=protect, cache=cache,
                                         lines=lines))

    def decide(self, text: str, lang: str, context: Mapping[str, Any] | None = None,
               metadata: dict[str, Any] | None = None, *, prior_total: int = 0,
               prior_removed: int = 0, protect: frozenset[int] | set[int] = frozenset(),
               cache: dict | None = None, lines: Sequence[Line] | None = None
               ) -> tuple[Sequence[Line], list[_Decision], list[float]]:
        """What :meth:`label` groups into blocks: the lines of ``text``, each line's
        decision (a rule: it goes; none: it stays) and its stage-2 score. A caller that
        only needs to know whether anything goes reads the decisions."""
        if lines is None:
            lines = split_lines(text)
        if not lines:
            return lines, [], []
        infos = describe(lines, lang, self.remove, cache)
        _, s2 = self.scores(infos, lines)
        thr = self.threshold
        n = len(infos)
        core_a, core_b = main_region(s2, [i.nwords + 1 for i in infos])
        if core_b <= core_a:
            core_a, core_b = 0, n
        dec = [_KEEP] * n
        meta = metadata if metadata is not None else {}
        ctx = context or {}
        tmpl = ctx.get("template_lines") or {}
        ndocs = int(ctx.get("documents") or 0)
        user_kept = [k in protect for k in range(n)] if protect else [False] * n
        # 1. user rules (user-rule families come only from the user's remove rules)
        for k, i in enumerate(infos if self.keep or self.remove else ()):
            if self.keep and any(p.search(i.text) for p in self.keep):
                user_kept[k] = True
            elif i.family is not None and i.family.rule == "user-rule":
                hit = i.family.regex.search(i.text)
                dec[k] = _Decision("user-rule", reason("user-rule", pattern=hit.group(0) if hit else "?"))
        # 2. template lines (batch signal)
        if tmpl and ndocs >= self.template_min_docs:
            for k, i in enumerate(infos):
                if user_kept[k] or dec[k].rule:
                    continue
                c = tmpl.get(i.key, 0)
                prose = i.nwords >= 15 and s2[k] >= 0.8
                if c >= self.template_min_docs and c >= self.template_share * ndocs and not prose:
                    dec[k] = _Decision("template-line", reason("template-line", count=c, documents=ndocs))
        # 3. edition pickers
        for k, i in enumerate(infos):
            if i.picker and not user_kept[k] and not dec[k].rule:
                dec[k] = _ruled("edition-picker")
        # 4. duplicates: keep the copy with the best score (earliest on ties)
        groups: dict[str, list[int]] = {}
        keys = [i.key for i in infos if i.nwords >= 3]
        for k, i in enumerate(infos if len(set(keys)) < len(keys) else ()):  # (no two alike: none)
            if i.nwords >= 3:
                groups.setdefault(i.key, []).append(k)
        for key, ks in groups.items():
            if len(ks) < 2:
                continue
            best = max(ks, key=lambda k: (s2[k], -k))
            copy = None  # one decision for the group's copies (a site's line may recur thousands of times)
            for k in ks:
                if k == best or user_kept[k] or dec[k].rule:
                    continue
                if k == n - 1 and best < 10 and infos[k].nwords <= 30:
                    dec[k] = _ruled("repeated-headline")
                else:
                    if copy is None:
                        copy = _Decision("duplicate", reason("duplicate", n=lines[best].block + 1))
                    dec[k] = copy
        # 5. byline and dateline in the header; bare timestamps elsewhere
        self._header(infos, dec, user_kept, core_a, s2, meta)
        # 6. phrase families
        for k, i in enumerate(infos):
            if user_kept[k] or dec[k].rule or i.family is None or i.family.rule == "author-bio":
                continue  # (an author's bio counts only at the end: see _author_bio)
            if i.family.override or s2[k] < 0.7 or i.nwords <= 8:
                dec[k] = _ruled(i.family.rule)
        self._context_rules(infos, lines, dec, user_kept)
        # 7. classifier
        for k, i in enumerate(infos):
            if user_kept[k] or dec[k].rule or s2[k] >= thr:
                continue
            rule, why = self._classifier_reason(k, lines, core_a, core_b)
            dec[k] = _Decision(rule, why, soft=True)
        self._consensus(infos, lines, dec, user_kept, core_a, core_b)
        self._author_bio(infos, dec, user_kept)
        # 8. headings the classifier doubted: headline/standfirst above the byline or the
        #    first paragraph, subheadings between article paragraphs
        self._headings(infos, lines, dec, s2)
        self._wordless(infos, dec, user_kept)
        self._guard(infos, dec, s2, meta, prior_total, prior_removed)
        return lines, dec, s2

    def _header(self, infos, dec, user_kept, core_a, s2, meta) -> None:
        first_article = next((k for k in range(len(infos)) if not dec[k].rule and s2[k] >= 0.5
                              and infos[k].nwords >= 12), core_a)
        header_start = max(0, first_article - _HEADER_LINES)
        published = None
        for k in [k for k, i in enumerate(infos) if i.dateline]:
            i = infos[k]
            if user_kept[k] or dec[k].rule:
                continue
            in_header = header_start <= k <= first_article + 2
            if in_header and published is None:
                published = i.text.strip()
                dec[k] = _Decision("dateline", reason("dateline", published=published))
                meta.setdefault("published", published)
                by = _DATELINE_BY.search(published)
                if by and "author" not in meta:
                    meta["author"] = by.group(1).strip()
                # a name-only line just before the date is the byline
                j = k - 1
                if j >= 0 and not dec[j].rule and not user_kept[j] and _NAME_LINE.match(infos[j].text) \
                        and infos[j].stop == 0:
                    self._set_byline(j, infos[j].text.strip(), dec, meta)
            elif i.nwords <= 8 and s2[k] < 0.9:
                dec[k] = _ruled("page-timestamp")
        for k in range(header_start, min(len(infos), first_article + 3)):
            i = infos[k]
            if user_kept[k] or dec[k].rule or i.nwords > 10:
                continue
            m = _BYLINE.match(i.text.strip())
            if m and m.group(1)[:1].isupper():
                self._set_byline(k, m.group(1), dec, meta)

    @staticmethod
    def _context_rules(infos, lines, dec, user_kept) -> None:
        """Prompts that span lines: a plea paragraph between two plea lines, the links
        listed under a "see also:" prompt, photo credits in capitals glued to an agency."""
        n = len(infos)
        for k, i in enumerate(infos):
            if 1 <= i.nwords <= 8 and i.upper == i.letters and not user_kept[k] and not dec[k].rule \
                    and _ALL_CAPS_CREDIT.search(i.text.strip()):
                dec[k] = _ruled("photo-credit")
        # the rules on the page now: each loop below reads lines next to a rule of a few
        # families, and adds only rules of families already there (or reader comments)
        present = {d.rule for d in dec}
        for k in range(1, n - 1) if not present.isdisjoint(_PROSE_FAMILIES) else ():
            if user_kept[k] or dec[k].rule or infos[k].nwords > 120:
                continue
            a, b = dec[k - 1].rule, dec[k + 1].rule
            if a == b and a in _PROSE_FAMILIES and infos[k - 1].nwords >= 5 and infos[k + 1].nwords >= 5:
                dec[k] = _ruled(a)
        for k in range(1, n) if not present.isdisjoint(_PROMPT_FAMILIES) else ():
            # a one- or two-word line in the same block as a prompt belongs to it ("Yes" / "No")
            prev = dec[k - 1].rule
            if prev in _PROMPT_FAMILIES and not dec[k].rule and not user_kept[k] \
                    and infos[k].nwords <= 2 and lines[k].block == lines[k - 1].block:
                dec[k] = _ruled(prev)
        Labeller._comment_thread(infos, dec, user_kept)
        if "related-links" not in present and "press-release" not in present:
            return
        # the last line that reads as an article paragraph (no rule on it, 12 words or more,
        # function words, a sentence end), read only on a page with a related-links line
        n_last_prose = -1
        if "related-links" in present:
            n_last_prose = max((k for k in range(n) if not dec[k].rule and _sentence(infos[k], 12, strict=False)),
                               default=-1)
        for k, i in enumerate(infos):
            if dec[k].rule == "press-release":
                # the name, address, e-mail and phone lines under "Media contact:"
                j = k + 1
                while j < min(n, k + 7) and lines[j].block == lines[k].block and not user_kept[j] \
                        and not dec[j].rule and _contact_detail(infos[j]):
                    dec[j] = _ruled("press-release")
                    j += 1
            if dec[k].rule != "related-links":
                continue
            # the links listed under a "see also:" prompt; under a heading without a colon
            # ("Most read", "Related topics"), only where no article paragraph follows
            # (else the title-like line may be the article's next subheading)
            colon = i.text.rstrip().endswith(":")
            if not colon and (i.nwords > 4 or k < n_last_prose):
                continue
            for j in range(k + 1, min(n, k + 6)):
                if user_kept[j] or dec[j].rule or not _title_like(infos[j], 2 if colon else 1, 16):
                    break
                dec[j] = _ruled("related-links")

    @staticmethod
    def _author_bio(infos, dec, user_kept) -> None:
        """The author's bio ("Jane Doe is a reporter for ..."): a line of the author-bio
        family among the last lines kept, after the article (inside the text, such a line
        is the article's own sentence about a journalist)."""
        for k in range(len(infos) - 1, -1, -1):
            if dec[k].rule:
                continue
            fam = infos[k].family
            if user_kept[k] or fam is None or fam.rule != "author-bio":
                return
            dec[k] = _ruled("author-bio")

    @staticmethod
    def _comment_thread(infos, dec, user_kept) -> None:
        """Reader comments: user-name lines (one token with a digit, a lower-case first
        letter or ``-_.``) each followed by prose. From the third such pair on, the
        thread runs from its first user name to the end of the text."""
        n = len(infos)
        handles = []
        for k in range(n - 1):
            if infos[k].handle and infos[k + 1].nwords >= 5:
                handles.append(k)
        if len(handles) < 3:
            return
        # the handles must be close to each other (a thread, not scattered labels)
        for a in range(len(handles) - 2):
            if handles[a + 2] - handles[a] <= 24:
                start = handles[a]
                break
        else:
            return
        for k in range(start, n):
            if not user_kept[k] and not dec[k].rule:
                dec[k] = _ruled("reader-comments")

    @staticmethod
    def _headings(infos, lines, dec, s2) -> None:
        n = len(infos)

        def kept_prose() -> list[bool]:
            """Kept lines of 12 words or more, as ``dec`` is now (and False past the end).
            A loop below changes only ``dec[k]`` at its own ``k`` and reads this list at
            ``k`` and ``k + 1``, so one list per loop reads as ``dec`` would."""
            return [not d.rule and i.nwords >= 12 for d, i in zip(dec, infos)] + [False]

        def keep(k: int, why: str) -> None:
            dec[k] = _Decision(kept_as=why)

        prose = kept_prose()
        first = next((k for k in range(n) if prose[k]), None)
        if first is None:
            return
        meta_lines = [k for k in range(first + 1) if dec[k].rule in ("byline", "dateline")]
        near_prompt = _prompt_reach(lines, dec)
        if not meta_lines:
            # no byline or date marks where the article starts: the sentences the classifier
            # doubted right above its first paragraph are the lead ("LEEDS, March 4 -- ...")
            for _ in range(_LEAD_LINES):
                k = first - 1
                if k < 0 or not dec[k].soft or s2[k] < 0.05 or near_prompt[k] or not _sentence(infos[k], 10):
                    break
                keep(k, "article")
                first = k
        top = meta_lines[0] if meta_lines else first
        # headline and standfirst directly above the byline/dateline or the first paragraph
        # (without a byline, the upper of two lines must be long enough not to be a kicker)
        k = top - 1
        for lo in (3, 3 if meta_lines else 6):
            if k < 0 or not (dec[k].soft or not dec[k].rule) or not _title_like(infos[k], lo, 40):
                break
            keep(k, "headline")
            k -= 1
        # prose that continues the article after a doubted heading or line: within three
        # lines of the last kept sentence, not counting one-line labels the page put into
        # the body ("Advertisement", "READ MORE: ..."); a sentence introducing a list
        # ("The plan includes:") keeps the short items of its paragraph
        # the article starts after its byline/date (or at its first paragraph)
        k, gap = (meta_lines[-1] + 1, 0) if meta_lines else (first, 10)
        while k < n:
            i = infos[k]
            d = dec[k]
            if prose[k] or (not d.rule and _sentence(i, 5)):
                gap = 0
            elif d.rule in _BODY_LABELS and lines[k].block_lines == 1 \
                    and (d.rule == "advertising" or i.nwords >= 4):
                pass  # a label inside the body (an ad label, "Read more: <a title>"): the article goes on
            else:
                gap += 1
                if d.soft and gap <= 3 and s2[k] >= 0.05 and not near_prompt[k]:
                    if _sentence(i, 10, 0.15, strict=False) or _sentence(i, 5):
                        keep(k, "article")
                        gap = 0
                    elif items := _list_items(infos, lines, dec, k):
                        for j in range(k, k + items + 1):
                            keep(j, "article")
                        k += items + 1
                        gap = 0
                        continue
            k += 1
        # subheadings: a short title line followed by a paragraph, after article text
        last_prose = -10
        prose = kept_prose()
        for k in range(first, n):
            if prose[k]:
                last_prose = k
                continue
            ln = lines[k]
            if dec[k].soft and s2[k] >= 0.15 and k - last_prose <= 2 and prose[k + 1] \
                    and ln.block_lines == 1 and _title_like(infos[k], 1, 10) \
                    and not any(ch in ln.text for ch in ":@()[]"):
                keep(k, "subheading")

    def _consensus(self, infos, lines, dec, user_kept, core_a: int, core_b: int) -> None:
        """Copies of a short line (one or two words, e.g. "Hi." or "Reply" repeated) get
        one classifier decision: removed if the classifier removed most of them, kept
        otherwise. Identical lines then never differ by position alone, so a run of
        them cannot be peeled off a few lines per pass. (Longer copies are handled by
        the duplicate rule; rule decisions are left as they are.)"""
        groups: dict[str, list[int]] = {}
        for k, i in enumerate(infos):
            if 1 <= i.nwords <= 2 and not user_kept[k] and (dec[k].soft or not dec[k].rule):
                groups.setdefault(i.key, []).append(k)
        for ks in groups.values():
            if len(ks) < 2:
                continue
            removed = sum(1 for k in ks if dec[k].soft)
            if not removed or removed == len(ks):
                continue
            if 2 * removed > len(ks):
                for k in ks:
                    if not dec[k].soft:
                        rule, why = self._classifier_reason(k, lines, core_a, core_b)
                        dec[k] = _Decision(rule, why, soft=True)
            else:
                for k in ks:
                    dec[k] = _KEEP

    @staticmethod
    def _wordless(infos, dec, user_kept) -> None:
        """A line without a letter or digit ("•", "×", "|", "‹ ›") says nothing: it stays
        only between two kept lines with words (a "* * *" section break), and goes
        otherwise, whatever the classifier thought. Deciding all such lines at once
        by their worded neighbours (not by position) means a run of them goes, or stays,
        in one pass instead of being peeled off a few lines per pass."""
        n = len(infos)
        kept_before = [False] * n
        last = False
        for k in range(n):
            if infos[k].nwords:
                last = not dec[k].rule
            else:
                kept_before[k] = last
        last = False
        for k in range(n - 1, -1, -1):
            if infos[k].nwords:
                last = not dec[k].rule
            elif user_kept[k]:
                continue
            elif kept_before[k] and last:
                if dec[k].soft:  # the classifier's doubt does not split a run of them
                    dec[k] = _KEEP
            elif not dec[k].rule:
                dec[k] = _ruled("no-words")

    @staticmethod
    def _set_byline(k: int, author: str, dec, meta) -> None:
        author = author.strip(" ,;|-–—")
        dec[k] = _Decision("byline", reason("byline", author=author))
        if "author" not in meta:
            meta["author"] = author

    @staticmethod
    def _classifier_reason(k: int, lines: Sequence[Line], a: int, b: int) -> tuple[str, str]:
        if k < a:
            return "outside-article", reason("outside-article", where="before")
        if k >= b:
            return "outside-article", reason("outside-article", where="after")
        if lines[k].block_lines >= 3:
            return "link-list", reason("link-list")
        return "short-fragment", reason("short-fragment")

    def _guard(self, infos, dec, s2, meta, prior_total: int = 0, prior_removed: int = 0) -> None:
        """Over-removal guard: past ``max_removal``, keep the uncertain classifier removals.

        The share is the classifier's: its removals over the words the rules left (a rule
        removal is no doubt; counting them, each new phrase family would push more pages
        over the line and keep more of their menus).

        Uncertain = a classifier-only removal scored within ``uncertain`` of the threshold.
        The document is flagged either way, so a reviewer can look at it.
        """
        total = max(prior_total, sum(i.nwords for i in infos) + prior_removed)
        if not total:
            return
        ruled = doubted = 0
        for i, d in zip(infos, dec):
            if d.soft:
                doubted += i.nwords
            elif d.rule:
                ruled += i.nwords
        removed = prior_removed + ruled + doubted
        if (prior_removed + doubted) / max(total - ruled, 1) > self.max_removal:
            flags = meta.setdefault("flags", [])
            if "over-removal" not in flags:
                flags.append("over-removal")
            floor = self.threshold - self.uncertain
            for k, d in enumerate(dec):
                if d.soft and s2[k] >= floor:
                    dec[k] = _KEEP
                    removed -= infos[k].nwords
            if all(d.rule for d in dec):  # never let the classifier delete the whole text
                for k, d in enumerate(dec):
                    if d.soft:
                        dec[k] = _KEEP
                        removed -= infos[k].nwords
        meta["removed_share"] = round(removed / total, 4)

    @staticmethod
    def _blocks(lines: Sequence[Line], dec: Sequence[_Decision], s2: Sequence[float]) -> list[Block]:
        out: list[Block] = []
        k = 0
        n = len(lines)
        while k < n:
            d = dec[k]
            rule = d.rule
            j = k + 1
            if rule not in KIND:  # bylines and datelines stay one line each
                blk = lines[k].block
                while j < n:
                    dj = dec[j]  # the same decision object (most often _KEEP) has the same fields
                    if dj is not d and (dj.rule != rule or dj.reason != d.reason or dj.kept_as != d.kept_as):
                        break
                    if not rule and lines[j].block != blk:
                        break
                    j += 1
            kind = "article" if not rule else KIND.get(rule, "boilerplate")
            score = s2[k] if j == k + 1 else sum(s2[k:j]) / (j - k)  # x / 1 == x
            why = d.kept_as or "article"
            out.append(Block(lines[k].start, lines[j - 1].end, kind, d.rule or why,
                             d.reason or _KEPT_REASONS[why], round(score, 4), k, j - 1))
            k = j
        return out


def label(text: str, doc: Any = None, **options: Any) -> list[Block]:
    """Label the lines of ``text`` (see the module doc); ``doc`` gives language and context.

    Options are the filter's (``model``, ``max_removal``, ``rules``...).
    """
    from ..filters.boilerplate import BoilerplateFilter

    return BoilerplateFilter(**options).label(text, doc)
