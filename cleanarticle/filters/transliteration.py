"""The ``transliteration`` filter: one spelling per entity, entity by entity.

The same place or person reaches us spelled many ways (Kiev/Kyiv, Homel/Gomel,
Oleg Sinegubov/Oleh Syniehubov, Zelensky/Zelenskyy). This filter maps every
spelling a gazetteer knows to the entity's canonical one and logs why. The
default policy (``data/gazetteer/*.toml``; README "Transliteration"):

- Ukrainian places: Ukraine's national 2010 romanization (Kyiv, Odesa, Luhansk);
- people: their own established English spelling (Volodymyr Zelenskyy, Vitali
  Klitschko), else their country's national romanization (Oleh Syniehubov);
- Belarusian places: the Belarusian-language form (Homel, Hrodna);
- Russian people and places: left as they are (they are still recognised, so
  ``Oleg Deripaska`` and ``Dmitry Peskov`` are never touched).

What it never does: swap a first name on its own, change inside a longer word,
a URL, an e-mail address or a hashtag, touch fixed phrases (``Chicken Kiev``,
``Kievan Rus``) or same-name places elsewhere (``Odessa, Texas``).

Two steps: Cyrillic names inside English text are romanized first (script cues
pick the Ukrainian, Belarusian or Russian system; a spelling the gazetteer knows
wins), then one regex pass over the text finds every known spelling. Near
misses (``Oleh Sinhubov``) are fuzzy-matched only with supporting context: the
entity's own first name just before, or the entity named elsewhere in the
document; weaker matches are not changed but listed in
``metadata["translit_flags"]``.

>>> from cleanarticle import clean
>>> clean("Kiev-based firms and Oleg Sinegubov, not Oleg Deripaska.", ["transliteration"]).text
'Kyiv-based firms and Oleh Syniehubov, not Oleg Deripaska.'
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from typing import Any, Iterable, Iterator, Mapping

from ..edits import Edit
from ..translit.gazetteer import Entity, Form, Gazetteer, load, norm
from ..translit.matching import SKELETON, TokenGuard, apply_case, case_forms, trie_regex
from ..translit.romanize import SYSTEMS, romanize, table
from . import BaseFilter

__all__ = ["TransliterationFilter"]

_CYR_UP = "А-ЯЁЇІЄҐЎ"
_CYR_WORD = f"[{_CYR_UP}][{_CYR_UP}а-яёїієґў'’ʼ-]+"
_CYR_NAME = re.compile(f"{_CYR_WORD}(?: {_CYR_WORD}){{0,3}}(?![\\w])")
_PART = re.compile(r"[^\s\-\u2010\u2011]+")
_PREV_WORD = re.compile(r"([A-Z][a-z'’]+)\s+$")
_DEFAULT_REASON = {
    "place": "one spelling per place (gazetteer policy)",
    "person": "one spelling per person (gazetteer policy)",
}


class _Compiled:
    """Everything derived from one gazetteer: built once, shared by filters."""

    def __init__(self, g: Gazetteer) -> None:
        self.g = g
        self.rx = trie_regex(x for f in g.all_forms() for x in case_forms(f))
        # given-name spellings -> the people whose surname they may precede
        self.by_given: dict[str, list[Entity]] = {}
        for e in g.entities.values():
            if e.has_parts:
                for gv in g.given_forms(e):
                    self.by_given.setdefault(norm(gv), []).append(e)
        std_given = sorted({gv for e in g.entities.values() if e.has_parts and e.policy == "standardise"
                            for gv in g.given_forms(e)})
        given_rx = trie_regex(std_given).pattern if std_given else r"(?!x)x"
        self.given_then_word = re.compile(
            given_rx.removesuffix(r"(?![\w])") + r"\s+([A-Z][a-z'’-]{2,30})(?![\w])")
        self.qualifier = re.compile(
            r"(?:\s*,\s*|\s+\(\s*)(?:" + "|".join(
                re.escape(q) for q in sorted(g.qualifiers, key=len, reverse=True)) + r")(?![\w])")
        self.elsewhere = {e.id: re.compile(r"(?:\s*,\s*|\s+\(\s*|\s+)(?:" + "|".join(map(re.escape, e.elsewhere))
                                           + r")(?![\w])") for e in g.entities.values() if e.elsewhere}
        self.given_names = set(g.given_classes)
        # what a matched spelling is (the full form, the surname forms, whether it stays):
        # the regex matches a few hundred spellings, so a text's matches are mostly looked
        # up here
        self._found: dict[str, tuple[Form | None, list[Form], bool]] = {}

    def found(self, matched: str) -> tuple[Form | None, list[Form], bool]:
        """The gazetteer's full form and surname forms of a matched spelling, and whether
        it is a full form that stays as it is (kept by policy, or already the target)."""
        hit = self._found.get(matched)
        if hit is None:
            k = norm(matched)
            full = self.g.forms.get(k)
            stays = full is not None and (full.entity.policy == "keep"
                                          or apply_case(matched, full.target) == matched)
            hit = (full, self.g.surnames.get(k, []), stays)
            if len(self._found) >= 4096:  # spellings with unusual whitespace inside
                self._found.clear()
            self._found[matched] = hit
        return hit


_COMPILED: dict[int, _Compiled] = {}


def _compiled(g: Gazetteer) -> _Compiled:
    c = _COMPILED.get(id(g))
    if c is None or c.g is not g:
        c = _COMPILED[id(g)] = _Compiled(g)
    return c


class _Occ:
    __slots__ = ("start", "end", "text", "full", "surnames", "stays")

    def __init__(self, start: int, end: int, text: str, full: Form | None, surnames: list[Form],
                 stays: bool = False):
        self.start, self.end, self.text, self.full, self.surnames = start, end, text, full, surnames
        self.stays = stays  # a full form kept as it is: no edit, no flag


class TransliterationFilter(BaseFilter):
    """One spelling per entity, from gazetteers (see the module doc)."""

    name = "transliteration"
    description = "one spelling per entity from gazetteers: Kiev -> Kyiv, Oleg Sinegubov -> Oleh Syniehubov"

    def __init__(self, *, gazetteers: Iterable[str] = (), builtin: bool = True,
                 prefer: Mapping[str, str] | None = None, keep: Iterable[str] = (),
                 fuzzy: bool = True, name_threshold: float = 80.0, seen_threshold: float = 88.0,
                 place_threshold: float = 92.0, flag_threshold: float = 65.0,
                 romanize_cyrillic: bool = True, cyrillic_default: str = "ru",
                 languages: Iterable[str] | None = ("en",)) -> None:
        if isinstance(gazetteers, str):
            gazetteers = [gazetteers]
        if isinstance(keep, str):
            keep = [keep]
        if cyrillic_default not in SYSTEMS:
            raise ValueError(f"cyrillic_default must be one of {sorted(SYSTEMS)}")
        self.gazetteer = load(gazetteers, builtin=builtin, prefer=prefer, keep=keep)
        self._c = _compiled(self.gazetteer)
        self.fuzzy = fuzzy
        self.name_threshold = name_threshold
        self.seen_threshold = seen_threshold
        self.place_threshold = place_threshold
        self.flag_threshold = flag_threshold
        self.romanize_cyrillic = romanize_cyrillic
        self.cyrillic_default = cyrillic_default
        # Not ``self.languages``: the pipeline would skip undetermined (short) texts.
        # Checked in _serves(): only a confident detection of another language skips.
        self.served_languages = None if languages is None else frozenset(languages)
        self._closest_memo: dict[tuple, tuple | None] = {}
        self._pools_memo: dict[frozenset, tuple | None] = {}  # see _seen_pools

    def steps(self):
        return [self._cyrillic, self._latin] if self.romanize_cyrillic else [self._latin]

    def propose(self, text: str, doc=None) -> list[Edit]:
        """The Latin-script pass alone (tests; the pipeline uses :meth:`steps`)."""
        return list(self._latin(text, doc))

    # ------------------------------------------------------------ helpers

    def _serves(self, text: str, doc) -> bool:
        if self.served_languages is None or doc is None or len(text) < 200:
            return True
        if "language" not in doc.metadata and "en" in self.served_languages and _looks_english(text):
            return True  # cheap check first: language detection costs more than this filter
        lang = doc.language
        conf = doc.metadata.get("language_confidence", 1.0) or 0.0
        if lang != "und" and lang not in self.served_languages and conf >= 0.9:
            note = {"filter": self.name, "reason": f"language {lang!r} not served"}
            skipped = doc.metadata.setdefault("skipped", [])
            if note not in skipped:
                skipped.append(note)
            return False
        return True

    @staticmethod
    def _flag(flags: list, **info: Any) -> None:
        flags.append(info)

    @staticmethod
    def _reason(e: Entity, before: str, after: str) -> str:
        why = e.reason or _DEFAULT_REASON[e.kind]
        return f"{before} -> {after}: {why}"

    @staticmethod
    def _exception(text: str, s: int, matched: str, e: Entity) -> bool:
        if not e.exceptions:
            return False
        for pl, i in _anchors(e.exceptions, matched.casefold()):
            lo = s - i
            if lo < 0:
                continue
            window = text[lo:lo + len(pl)].casefold()
            if window == pl:
                return True
            if any(ch in window for ch in "\n\t\u00a0\u2009\u202f") and " ".join(
                    text[lo:lo + len(pl) + 8].split()).casefold().startswith(pl):
                return True
        return False

    def _elsewhere(self, text: str, end: int, e: Entity) -> bool:
        if e.kind != "place":
            return False
        if self._c.qualifier.match(text, end):
            return True
        rx = self._c.elsewhere.get(e.id)
        return bool(rx and rx.match(text, end))

    def _other_person(self, text: str, s: int, e_ids: set[str]) -> str:
        """The given name just before ``s`` if it belongs to none of ``e_ids``' names."""
        m = _PREV_WORD.search(text, max(0, s - 40), s)
        if not m:
            return ""
        word = norm(m.group(1))
        if word not in self._c.given_names:
            return ""
        for e in self._c.by_given.get(word, ()):
            if e.id in e_ids:
                return ""
        return m.group(1)

    # ------------------------------------------------------------ step 1: Cyrillic

    def _cyrillic(self, text: str, doc) -> list[Edit]:
        if not _has_cyrillic(text):
            return []
        edits = list(self._cyrillic_edits(text))
        if edits and not self._serves(text, doc):
            return []
        return edits

    def _cyrillic_edits(self, text: str) -> Iterator[Edit]:
        g = self.gazetteer
        guard = TokenGuard(text)
        for m in _CYR_NAME.finditer(text):
            s, e = m.span()
            if s and (text[s - 1].isalnum() or text[s - 1] == "_"):
                continue
            if not (_latin_side(text, s, -1) and _latin_side(text, e, 1)):
                continue  # part of a Cyrillic sentence
            if s and text[s - 1] == "(" and text[e:e + 1] == ")":
                continue  # an original-script gloss: "Kyiv (Київ)"
            if guard.protected(s, e):
                continue
            run = m.group()
            latin, system, cue = romanize(run, self.cyrillic_default)
            form = g.lookup(run) or g.lookup(latin)
            if form is not None:
                yield self._cyr_known(s, e, run, form)
                continue
            # Not known as a whole: one edit per word (the run's script decides the
            # system), so that a later step never edits twice inside one change.
            lang = next(k for k, v in SYSTEMS.items() if v == system)
            for p in _PART.finditer(run):
                ps, pe, part = s + p.start(), s + p.end(), p.group()
                plat = romanize(part, lang)[0]
                pform = g.lookup(part) or g.lookup(plat)
                if pform is not None:
                    yield self._cyr_known(ps, pe, part, pform)
                elif part.isupper():
                    continue  # unknown ALL CAPS: an acronym or a menu label, not a name
                else:
                    how = f"script cue {cue!r}" if cue else f"no script cue, default {system}"
                    yield Edit(ps, pe, plat, "cyrillic-romanized",
                               f"Cyrillic {part} -> {plat}: {table(system).title} ({how})")

    @staticmethod
    def _cyr_known(s: int, e: int, run: str, form: Form) -> Edit:
        target = apply_case(run, form.target)
        return Edit(s, e, target, "cyrillic-gazetteer",
                    f"Cyrillic {run} -> {target}: the gazetteer's spelling of "
                    f"{form.entity.canonical} ({form.entity.id})")

    # ------------------------------------------------------------ step 2: Latin

    def _latin(self, text: str, doc) -> list[Edit]:
        g, c = self.gazetteer, self._c
        if not (c.rx.search(text) or (self.fuzzy and c.given_then_word.search(text))):
            return []  # nothing to do: no need to detect the language either
        flags: list[dict] = []
        occs: list[_Occ] = []
        guard = TokenGuard(text)
        for m in c.rx.finditer(text):
            s, e = m.span()
            if s and (text[s - 1].isalnum() or text[s - 1] == "_"):
                continue  # inside a longer word
            matched = m.group()
            full, surnames, stays = c.found(matched)
            ent = full.entity if full else surnames[0].entity
            if guard.protected(s, e):
                continue
            if full and ((ent.exceptions and self._exception(text, s, matched, ent))
                         or (ent.kind == "place" and self._elsewhere(text, e, ent))):
                continue
            occs.append(_Occ(s, e, matched, full, surnames, stays))

        edits: list[Edit] = []
        spans = [(o.start, o.end) for o in occs]
        seen = {o.full.entity.id for o in occs if o.full and o.full.text not in o.full.entity.weak}
        full_seen = {o.full.entity.id for o in occs if o.full and o.full.entity.kind == "person"}
        # run-level context from the batch runner: entities named anywhere in the run
        run_seen = {x for x in (doc.context.get("translit_seen", ()) if doc is not None else ())
                    if x in g.entities}
        for o in occs:
            if not o.full:
                seen.update(f.entity.id for f in o.surnames if norm(f.target) == norm(o.text))

        if self.fuzzy:
            for ed, eid in self._fuzzy_given(text, flags, spans):
                edits.append(ed)
                full_seen.add(eid)
                seen.add(eid)

        for o in occs:
            if o.stays:
                continue  # (no edit, no flag: see _exact)
            ed = self._exact(text, flags, o, seen | run_seen if run_seen else seen,
                             full_seen | run_seen if run_seen else full_seen)
            if ed is not None:
                edits.append(ed)
                if o.full is None:  # a changed surname is the entity named, as on a second run
                    seen.update(f.entity.id for f in o.surnames)
        if self.fuzzy and seen:
            edits.extend(self._fuzzy_seen(text, flags, spans, seen))
        if (edits or flags) and not self._serves(text, doc):
            return []  # language checked only now: detection costs more than matching
        if doc is not None and flags:
            doc.metadata.setdefault("translit_flags", []).extend(flags)
        if doc is not None and seen:
            ents = doc.metadata.setdefault("translit_entities", {})
            for eid in sorted(seen):
                ent = g.entities[eid]
                if ent.policy == "standardise":
                    ents[eid] = ent.canonical
        return edits

    def _exact(self, text: str, flags: list, o: _Occ, seen: set[str], full_seen: set[str]) -> Edit | None:
        if o.full is not None:
            f, e = o.full, o.full.entity
            if e.policy == "keep":
                return None
            target = apply_case(o.text, f.target)
            if target == o.text:
                return None
            if f.text in e.weak and e.id not in seen:
                self._flag(flags, start=o.start, end=o.end, text=o.text, entity=e.id, candidate=target,
                           reason="ambiguous spelling, entity not otherwise named in the document")
                return None
            rule = "place-spelling" if e.kind == "place" else "person-name"
            return Edit(o.start, o.end, target, rule, self._reason(e, o.text, target))
        forms = o.surnames
        if all(f.entity.policy == "keep" for f in forms):
            return None
        targets = {f.target for f in forms}
        if len(targets) > 1:
            self._flag(flags, start=o.start, end=o.end, text=o.text, entity=forms[0].entity.id,
                       candidate=sorted(targets), reason="surname shared by several people")
            return None
        e = next((f.entity for f in forms if f.entity.id in full_seen), forms[0].entity)
        target = apply_case(o.text, e.surname)
        if target == o.text or e.policy == "keep":
            return None
        other = self._other_person(text, o.start, {f.entity.id for f in forms})
        if other:
            self._flag(flags, start=o.start, end=o.end, text=o.text, entity=e.id, candidate=target,
                       reason=f"preceded by another first name ({other}): a different person")
            return None
        if not (e.surname_alone or any(f.entity.id in full_seen for f in forms)):
            self._flag(flags, start=o.start, end=o.end, text=o.text, entity=e.id, candidate=target,
                       reason="surname alone and the full name is not in the document")
            return None
        return Edit(o.start, o.end, target, "person-surname",
                    self._reason(e, o.text, target) + " (surname of " + e.canonical + ")")

    # ------------------------------------------------------------ fuzzy

    def _fuzzy_given(self, text: str, flags: list, spans) -> Iterator[tuple[Edit, str]]:
        """``<first name of E> <unknown word close to E's surname>`` -> E's full name."""
        from rapidfuzz.fuzz import ratio

        g, c = self.gazetteer, self._c
        guard = TokenGuard(text)
        for m in c.given_then_word.finditer(text):
            s, e = m.span()
            if s and (text[s - 1].isalnum() or text[s - 1] == "_") or _overlaps(spans, s, e):
                continue
            word = m.group(1)
            if g.known(word) or norm(word) in c.given_names or guard.protected(s, e):
                continue
            given = text[s:m.start(1)].strip()
            sk = SKELETON(word)
            scored = []
            for ent in c.by_given.get(norm(given), ()):
                best = max(ratio(sk, SKELETON(x)) for x in (ent.surname, *ent.surname_variants))
                scored.append((best, ent.id, ent))
            if not scored:
                continue
            scored.sort(key=lambda t: (-t[0], t[1]))
            score, _, ent = scored[0]
            if score < self.flag_threshold:
                continue
            ambiguous = len(scored) > 1 and scored[1][0] >= score - 3 and scored[1][2].canonical != ent.canonical
            target = apply_case(text[s:e], ent.canonical)
            if ent.policy == "keep":
                continue
            if score >= self.name_threshold and not ambiguous:
                yield (Edit(s, e, target, "fuzzy-name",
                            self._reason(ent, text[s:e], target)
                            + f" (near spelling after the same first name, similarity {score:.0f}%)",
                            confidence=round(score / 100, 4)), ent.id)
            else:
                self._flag(flags, start=s, end=e, text=text[s:e], entity=ent.id, candidate=target,
                           score=round(score / 100, 4),
                           reason="ambiguous near spelling" if ambiguous else "near spelling below threshold")

    def _closest(self, word: str, pool, ratio) -> tuple | None:
        """Best ``(score, form, entity, part)`` in ``pool`` at or above the flag threshold."""
        g, c = self.gazetteer, self._c
        n = len(word)
        pool = [p for k in range(n - 3, n + 4) for p in pool.get(k, ())]
        if not pool or g.known(word) or norm(word) in c.given_names:
            return None
        sk = SKELETON(word)
        best = None
        for csk, x, ent, part in pool:
            sc = ratio(sk, csk)
            if best is None or sc > best[0] or (sc == best[0] and ent.id < best[2].id):
                best = (sc, x, ent, part)
        return best if best is not None and best[0] >= self.flag_threshold else None

    def _seen_pools(self, seen: frozenset[str]):
        """For the entities ``seen`` in a document: their single-word spellings of five or
        more letters by first letter and length (with skeletons), a regex finding the
        capitalised words that could be near one, and per first letter the entities in its
        pool (the key of the shared closest-match memo). None when there is none. A function
        of ``seen`` alone, kept for the next documents (bounded)."""
        cache = self._pools_memo
        if seen in cache:
            return cache[seen]
        g = self.gazetteer
        cands: dict[str, dict[int, list[tuple[str, str, Entity, str]]]] = {}
        for eid in sorted(seen):
            ent = g.entities[eid]
            if ent.policy == "keep":
                continue
            if ent.has_parts:
                pool, part = (ent.surname, *ent.surname_variants), "surname"
            elif ent.kind == "place":
                pool, part = (ent.canonical, *ent.variants), "place"
            else:
                continue
            for x in pool:
                if " " not in x and len(x) >= 5 and x[:1].isupper():
                    cands.setdefault(x[0], {}).setdefault(len(x), []).append((SKELETON(x), x, ent, part))
        out = None
        if cands:
            rx = re.compile("[" + "".join(sorted(cands)) + r"][a-z'’]{3,24}(?![\w'’])")
            # results depend only on the word and the pool of its first letter: shared
            # across documents (bounded), so a run does not recompute common words
            pool_key = {k: tuple(sorted({p[2].id for b in v.values() for p in b})) for k, v in cands.items()}
            out = cands, rx, pool_key
        if len(cache) >= 256:
            cache.clear()
        cache[seen] = out
        return out

    def _fuzzy_seen(self, text: str, flags: list, spans, seen: set[str]) -> Iterator[Edit]:
        """A capitalised unknown word close to an entity named elsewhere in the document."""
        from rapidfuzz.fuzz import ratio

        pools = self._seen_pools(frozenset(seen))
        if pools is None:
            return
        cands, rx, pool_key = pools
        memo = self._closest_memo
        if len(memo) > 50000:
            memo.clear()
        # each distinct capitalised word once: most are near no spelling, and then the
        # text needs no second look
        near = {}
        for word in dict.fromkeys(rx.findall(text)):
            key = (word, pool_key[word[0]])
            if key in memo:
                best = memo[key]
            else:
                best = memo[key] = self._closest(word, cands[word[0]], ratio)
            if best is not None:
                near[word] = best
        if not near:
            return
        guard = TokenGuard(text)
        for m in rx.finditer(text):
            best = near.get(m.group())
            if best is None:
                continue
            word = m.group()
            s, e = m.span()
            if s and (text[s - 1].isalnum() or text[s - 1] in "_#@") or _overlaps(spans, s, e):
                continue
            score, _, ent, part = best
            if guard.protected(s, e):
                continue
            target = apply_case(word, ent.surname if part == "surname" else ent.canonical)
            limit = self.seen_threshold if part == "surname" else self.place_threshold
            if part == "surname" and self._other_person(text, s, {ent.id}):
                continue
            if score >= limit:
                yield Edit(s, e, target, f"fuzzy-{part}",
                           self._reason(ent, word, target)
                           + f" (near spelling of {ent.canonical}, named elsewhere in the document; "
                           f"similarity {score:.0f}%)", confidence=round(score / 100, 4))
            else:
                self._flag(flags, start=s, end=e, text=word, entity=ent.id, candidate=target,
                           score=round(score / 100, 4), reason="near spelling below threshold")


_EN_WORDS = frozenset("the and of to in is was that for on with said by has are".split())


def _looks_english(text: str) -> bool:
    """At least one word in eight is an English function word (first 3,000 characters)."""
    words = text[:3000].lower().split()
    return len(words) >= 20 and sum(map(_EN_WORDS.__contains__, words)) * 8 >= len(words)


@lru_cache(maxsize=4096)
def _anchors(phrases: tuple[str, ...], matched_cf: str) -> tuple[tuple[str, int], ...]:
    """Each exception phrase (casefolded) with every offset where ``matched_cf`` occurs in it."""
    out = []
    for phrase in phrases:
        pl = phrase.casefold()
        i = pl.find(matched_cf)
        while i >= 0:
            out.append((pl, i))
            i = pl.find(matched_cf, i + 1)
    return tuple(out)


def _overlaps(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    """Does [s, e) overlap one of the sorted, disjoint ``spans``?"""
    i = bisect_right(spans, (s, float("inf"))) - 1
    if i >= 0 and spans[i][1] > s:
        return True
    return i + 1 < len(spans) and spans[i + 1][0] < e


def _has_cyrillic(text: str) -> bool:
    """Is a character of U+0400-U+04FF in ``text``? In UTF-8 those, and only those,
    start with a byte 0xD0-0xD3 (a byte that never continues a character): four byte
    searches, several times faster than a regex scan of the text.

    >>> _has_cyrillic("Kyiv (Київ)"), _has_cyrillic("Kyiv ’s été 😀")
    (True, False)
    """
    if text.isascii():
        return False
    b = text.encode("utf-8", "surrogatepass")
    return b"\xd0" in b or b"\xd1" in b or b"\xd2" in b or b"\xd3" in b


def _latin_side(text: str, pos: int, step: int) -> bool:
    """Is the nearest letter on one side of ``pos`` (within 20 characters) not Cyrillic?"""
    i = pos - 1 if step < 0 else pos
    for _ in range(20):
        if i < 0 or i >= len(text):
            return True
        ch = text[i]
        if ch.isalpha():
            return not ("\u0400" <= ch <= "\u04ff")
        i += step
    return True
