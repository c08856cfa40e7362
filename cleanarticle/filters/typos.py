"""The ``typos`` filter: obvious typos a copy editor fixes without a second look.

Four rules, each logged under its own id:

- ``misspelling``: a word from a curated list of known misspellings becomes its
  one correction, in the word's own capitalisation (``Beseiged`` -> ``Besieged``).
  The list is codespell's main dictionary (read from the installed package),
  keeping only entries with a single correction and dropping the vetted
  exclusions in ``data/typos/codespell-exclude*.tsv`` (real words, names, rare
  words, foreign words, British/American variant pairs), plus
  ``data/typos/misspellings.tsv``;
- ``doubled-word``: ``the the`` loses its second word, except for doublings that
  are English (``had had``, ``that that``; ``data/typos/doubled-ok.txt``);
- ``glued-sentence``: ``the city.The mayor`` gets its missing space; initials,
  decimals, abbreviations, domains, file names and code are left alone;
- ``demonym-case``: ``the ukrainian president`` -> ``the Ukrainian president``
  (``data/typos/demonyms.txt``).

What is never touched: words in capitals or mixed case (acronyms, brands),
capitalised words inside a sentence (names, transliterated names) unless the
entry is a proper-noun misspelling listed capitalised (``Ukranian``), words
glued to digits, anything inside a URL, e-mail address, domain, path, handle or
hashtag, a word followed by ``[sic]`` or inside a quotation ``[sic]`` follows, a
word quoted on its own (mentioned, not used), and the words of the user's
allowlist. British and American spellings are never converted: no entry whose
misspelling sits as close to the other variety's spelling is kept.

Options: ``config`` (path to a TOML file with ``[misspellings]`` wrong = "right",
``allow = [...]`` and ``allow_file = "words.txt"``), and ``misspellings``,
``doubled``, ``glued``, ``demonyms`` (booleans, all on) to switch rules off.

>>> from cleanarticle import clean
>>> clean("They were beseiged in the the city.The ukrainian army held.", filters=["typos"]).text
'They were besieged in the city. The Ukrainian army held.'
"""

from __future__ import annotations

import importlib.resources
import itertools
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

from ..edits import Edit
from . import BaseFilter
from .local import LineMemo, line_local

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

__all__ = ["TyposFilter", "Lexicon", "load_config"]

# a word: letters, optionally joined by apostrophes (don't, O'Neill)
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
# characters that make a whitespace-delimited chunk a URL, address, path, handle or code
_MACHINE = re.compile(r"://|www\.|[@/\\_=#{}<>|~^*+\[\]`\d]|[^\W_]\.[^\W\d_]")
# "[sic]" right after the word, on its line (bounded: linear anywhere)
_SIC = re.compile(r"[^\S\n]{0,8}[\[(][^\S\n]{0,3}sic[^\S\n]{0,3}[\])]", re.IGNORECASE)
_SIC_ANYWHERE = re.compile(r"[\[(]\s*sic\s*[\])]", re.IGNORECASE)
_QUOTES = {'"': '"', "'": "'", "\u201c": "\u201d", "\u2018": "\u2019", "\u00ab": "\u00bb", "\u201e": "\u201c"}
# a doubled word after a space, quote or bracket (a lookbehind at every position is slower)
# one space between the two: wider gaps are layout (table columns), not a slip of the keyboard
_DOUBLED = re.compile(r"[\s\"\u201c\u2018(]([^\W\d_]++) (\1)(?![\w'\u2019-])", re.IGNORECASE)
# whitespace: what str.split splits on, which is also what the regex \s matches
_SPACE_CHARS = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
                + "\u2028\u2029\u202f\u205f\u3000")
# the characters _DOUBLED allows before the first word but a space
_DOUBLED_LEADS = _SPACE_CHARS.replace(" ", "") + "\"\u201c\u2018("
# _DOUBLED after a space: a literal first character lets the regex engine skip ahead
_DOUBLED_AFTER_SPACE = re.compile(r" ([^\W\d_]++) (\1)(?![\w'\u2019-])", re.IGNORECASE)
_MAX_COPIES = 3  # "the the the" is fixed; four or more copies in a row are left alone
_DOUBLED_AT_START = re.compile(r"\b([^\W\d_]+) (\1)(?![\w'\u2019-])", re.IGNORECASE)
# glued sentences: find the rare ".Y" quickly (a literal first character lets the regex
# engine skip ahead), then look around it in Python: a lower-case letter before the stop
_GLUED = re.compile(r"\.[A-Z]")
_GLUED_LEFT_STOP = set("'\u2019.@/\\-_")
_GLUED_RIGHT = re.compile(r"[A-Z][a-z]+|[AI]")
_OPENERS = "\"'\u201c\u2018\u00ab([{*\u2014\u2013- \t"
_CHUNK_LIMIT = 200


# ---------------------------------------------------------------- data loading

def _data_text(name: str) -> str:
    return (importlib.resources.files("cleanarticle") / "data" / "typos" / name).read_text(encoding="utf-8")


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def _pairs(text: str) -> list[tuple[str, str]]:
    out = []
    for ln in _lines(text):
        wrong, _, right = ln.partition("\t")
        out.append((wrong.strip(), right.strip()))
    return out


@lru_cache(maxsize=None)
def data_list(name: str) -> tuple[str, ...]:
    """A one-word-a-line data file of ``data/typos`` (comments dropped), cached."""
    return tuple(_lines(_data_text(name)))


@lru_cache(maxsize=None)
def codespell_entries() -> tuple[tuple[str, str], ...]:
    """codespell's main dictionary: entries with exactly one correction.

    An entry whose right-hand side has a comma lists several candidates or a
    reason: codespell itself never applies those automatically, nor do we. The
    other tiers are not used: ``code`` (identifiers), ``names``, ``rare``
    (real but rare words), ``informal``, ``usage`` (style advice) and the
    British/American/Oxford conversion lists (the document's variety is kept).
    """
    text = (importlib.resources.files("codespell_lib") / "data" / "dictionary.txt").read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        wrong, sep, right = line.partition("->")
        right = right.strip()
        if sep and right and "," not in right:
            out.append((wrong.strip(), right))
    return tuple(out)


@lru_cache(maxsize=None)
def _builtin_misspellings() -> dict[str, tuple[str, str]]:
    """lower-case misspelling -> (misspelling as listed, correction), vetted."""
    excluded = {w for w, _ in _pairs(_data_text("codespell-exclude.tsv"))}
    excluded |= {w for w, _ in _pairs(_data_text("codespell-exclude-manual.tsv"))}
    short_ok = set(data_list("short-keys.txt"))
    table: dict[str, tuple[str, str]] = {}
    for wrong, right in codespell_entries():
        if wrong in excluded or not _WORD.fullmatch(wrong):
            continue
        if len(wrong) < 4 and wrong not in short_ok:
            continue
        table[wrong.lower()] = (wrong, right)
    for wrong, right in _pairs(_data_text("misspellings.tsv")):
        table[wrong.lower()] = (wrong, right)
    return table


# ---------------------------------------------------------------- user config

@dataclass(frozen=True)
class UserConfig:
    """What a user's TOML file adds: misspellings and an allowlist."""

    misspellings: Mapping[str, str]
    allow: frozenset[str]


def load_config(path: str | Path) -> UserConfig:
    """Read a typos TOML file.

    ``[misspellings]`` maps a wrong word to its one correction; ``allow`` is a
    list of words never changed; ``allow_file`` names a one-word-a-line file
    (relative to the TOML file). Unknown keys are refused, so typos in the
    config do not pass silently.
    """
    p = Path(path)
    try:
        with open(p, "rb") as fh:
            raw = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"typos config {p}: {exc}") from None
    unknown = set(raw) - {"misspellings", "allow", "allow_file"}
    if unknown:
        raise ValueError(f"typos config {p}: unknown key(s) {', '.join(sorted(unknown))}")
    miss = raw.get("misspellings", {})
    if not isinstance(miss, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in miss.items()):
        raise ValueError(f"typos config {p}: [misspellings] must map words to one correction each")
    for wrong, right in miss.items():
        if not _WORD.fullmatch(wrong) or not right.strip() or "," in right:
            raise ValueError(f"typos config {p}: bad misspelling entry {wrong!r} = {right!r}")
    allow = raw.get("allow", [])
    if not isinstance(allow, list) or not all(isinstance(w, str) for w in allow):
        raise ValueError(f"typos config {p}: allow must be a list of words")
    words = set(allow)
    if "allow_file" in raw:
        f = p.parent / str(raw["allow_file"])
        try:
            words.update(_lines(f.read_text(encoding="utf-8")))
        except OSError as exc:
            raise ValueError(f"typos config {p}: allow_file: {exc}") from None
    return UserConfig(dict(miss), frozenset(w.lower() for w in words))


# ---------------------------------------------------------------- lexicon

class Lexicon:
    """Everything a run needs, built once per filter (the big tables are module-cached)."""

    def __init__(self, user: UserConfig | None = None) -> None:
        table = _builtin_misspellings()
        if user and user.misspellings:
            table = dict(table)
            for wrong, right in user.misspellings.items():
                table[wrong.lower()] = (wrong, right)
        self.misspellings: Mapping[str, tuple[str, str]] = table
        self.allow: frozenset[str] = user.allow if user else frozenset()
        self.demonyms = frozenset(data_list("demonyms.txt"))
        self.demonym_exceptions = frozenset(data_list("demonym-exceptions.txt"))
        self.demonym_prefixes = frozenset(data_list("demonym-prefixes.txt"))
        self.doubled_ok = frozenset(data_list("doubled-ok.txt"))
        self.abbreviations = frozenset(data_list("abbreviations.txt"))
        self.suffixes = frozenset(data_list("suffixes.txt"))


# ---------------------------------------------------------------- text helpers

def _case(word: str) -> str:
    if word.islower():
        return "lower"
    if word[0].isupper() and (len(word) == 1 or word[1:].islower()):
        return "title"
    return "other"  # ALL CAPS or mixed: acronyms and brands


def _recase(fix: str, word: str) -> str:
    """The correction in the capitalisation pattern of the word it replaces."""
    if _case(word) == "title" and fix[:1].islower():
        return fix[:1].upper() + fix[1:]
    return fix


def _chunk(text: str, start: int, end: int) -> str:
    """The whitespace-delimited run around ``text[start:end]`` (bounded)."""
    lo = start
    stop = max(0, start - _CHUNK_LIMIT)
    while lo > stop and not text[lo - 1].isspace():
        lo -= 1
    hi = end
    stop = min(len(text), end + _CHUNK_LIMIT)
    while hi < stop and not text[hi].isspace():
        hi += 1
    return text[lo:hi]


def _machine(text: str, start: int, end: int) -> bool:
    """Is the word part of a URL, address, domain, file name, path, handle or code?"""
    return _MACHINE.search(_chunk(text, start, end)) is not None


def _sentence_start(text: str, start: int) -> bool:
    """Does a sentence (or a paragraph, a heading) start at ``start``?"""
    i = start
    stop = max(0, start - 10)
    while i > stop and text[i - 1] in _OPENERS:
        i -= 1
    return i == 0 or text[i - 1] in "\n.!?\u2026"


def _in_sic_quotation(text: str, start: int, end: int) -> bool:
    """Is the word inside a quotation that ``[sic]`` follows ("Recieve here" [sic])?"""
    limit = min(len(text), end + _CHUNK_LIMIT)
    close = text.find("\n", end, limit)
    m = _SIC_ANYWHERE.search(text, end, limit if close < 0 else close)
    if m is None:
        return False
    j = m.start()
    while j > end and text[j - 1] in " \t":
        j -= 1
    if j <= end or text[j - 1] not in _QUOTES.values():
        return False
    closing = text[j - 1]
    between = text[end:j - 1]
    if closing in between:
        return False  # the quotation closed earlier; the word is not in the one [sic] marks
    opener = [o for o, c in _QUOTES.items() if c == closing]
    line_start = text.rfind("\n", 0, start) + 1
    return any(text.rfind(o, max(line_start, start - _CHUNK_LIMIT), start) >= 0 for o in opener)


# what separates words: whitespace, and ASCII punctuation but the apostrophe, dashes,
# quotes, the ellipsis (apostrophes stay inside words: "don't", "goverment's")
_SEPARATOR_CHARS = ("".join(map(chr, [*range(0x21, 0x27), *range(0x28, 0x30), *range(0x3A, 0x41),
                                      *range(0x5B, 0x61), *range(0x7B, 0x7F)]))
                    + "\u2013\u2014\u2026\u00ab\u00bb\u201c\u201d\u201e\u00b7")
# in UTF-8 the ASCII ones are one byte each (a translate table makes them spaces); the
# others are replaced while the text is still a str (a str search for one character is
# a memchr, a bytes search for a sequence is not)
_ASCII_TO_SPACE = bytes(0x20 if c < 0x80 and chr(c) in _SEPARATOR_CHARS + _SPACE_CHARS else c
                        for c in range(256))  # bytes from 0x80 on are parts of wider characters
_WIDE_SEPARATORS = tuple(c for c in _SEPARATOR_CHARS + _SPACE_CHARS if ord(c) >= 0x80)
_APOSTROPHES = (b"'", "\u2019".encode())


def _words_in(text: str, step: int = 1 << 20) -> set[bytes]:
    """The distinct word-like tokens of ``text``, in UTF-8: a superset of its words, to
    prefilter (intersect it with the UTF-8 forms of the words looked for).

    Runs of separators and whitespace split words: a few replacements, a byte
    translation and one split, all in C. A word with an apostrophe also counts
    without the apostrophes around it and without a possessive ``'s``. The text is
    read in bounded pieces (cut at whitespace), so a huge page never becomes one
    giant list.
    """
    out: set[bytes] = set()
    quoted: set[bytes] = set()
    n = len(text)
    pos = 0
    while pos < n:
        end = min(n, pos + step)
        while end < n and not text[end].isspace():
            end += 1
        piece = text[pos:end]
        if not piece.isascii():
            for c in _WIDE_SEPARATORS:
                if c in piece:
                    piece = piece.replace(c, " ")
        data = piece.encode("utf-8", "surrogatepass").translate(_ASCII_TO_SPACE)
        out.update(data.split())
        for a in _APOSTROPHES:  # the words holding an apostrophe: few, found by search
            i = data.find(a)
            while i >= 0:
                e = data.find(b" ", i)
                e = len(data) if e < 0 else e
                quoted.add(data[data.rfind(b" ", 0, i) + 1:e])
                i = data.find(a, e)
        pos = end
    for q in quoted:  # 'quoted', possessive's (few words: as text, one at a time)
        w = q.decode("utf-8", "surrogatepass").strip("'\u2019")
        out.add(w.encode("utf-8", "surrogatepass"))
        if w.endswith(("'s", "\u2019s")):
            out.add(w[:-2].encode("utf-8", "surrogatepass"))
    out.discard(b"")
    return out


def _doubled_pairs(text: str) -> Iterator[re.Match[str]]:
    """``_DOUBLED.finditer(text)``, found fast.

    Every character _DOUBLED allows before a doubled word is made a space (one
    character each, so positions stay), so that a regex starting with a literal space
    finds every place where _DOUBLED can match, and a few more (a newline or a quote
    between the words); each is checked with _DOUBLED on the real text.
    """
    spaced = text
    for c in _DOUBLED_LEADS:
        if c in spaced:
            spaced = spaced.replace(c, " ")
    search, check = _DOUBLED_AFTER_SPACE.search, _DOUBLED.match
    pos = 0
    while (m := search(spaced, pos)) is not None:
        real = check(text, m.start())
        if real is None:
            pos = m.start() + 1
        else:
            yield real
            pos = real.end()


def _finder(words: Iterable[str]) -> re.Pattern[str]:
    alts = "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))
    # case-sensitive and starting with the words, so the engine can skip ahead on
    # their first letters; the left word boundary is checked by the caller
    # a word ends where no letter or apostrophe follows, or where a possessive 's does
    return re.compile(rf"(?:{alts})(?![\w]|['\u2019](?!s(?![\w'\u2019])))")


def _targets(lex: "Lexicon", misspellings: bool, demonyms: bool) -> frozenset[bytes]:
    """The word forms that may change, in UTF-8: lower-case forms (misspellings,
    demonyms) and capitalised misspelling forms."""
    miss = lex.misspellings if misspellings else {}
    lower = miss.keys() | (lex.demonyms if demonyms else set())
    title = {w[:1].upper() + w[1:] for w in miss}
    return frozenset(w.encode() for w in lower | title)


@lru_cache(maxsize=None)
def _default_targets(misspellings: bool, demonyms: bool) -> frozenset[bytes]:
    return _targets(Lexicon(), misspellings, demonyms)


# ---------------------------------------------------------------- the filter

class TyposFilter(BaseFilter):
    """Conservative fixes of obvious typos (see the module doc)."""

    name = "typos"
    description = ("obvious typos: known misspellings, doubled words, sentences glued at a full stop, "
                   "lower-case demonyms; never names, acronyms, variants, URLs or [sic]")
    languages = frozenset({"en"})
    reads_changed = True  # its steps are line-local: see steps()

    def __init__(self, *, config: str | Path | None = None, misspellings: bool = True, doubled: bool = True,
                 glued: bool = True, demonyms: bool = True) -> None:
        self.config = str(config) if config is not None else None
        self.lexicon = Lexicon(load_config(config) if config is not None else None)
        self.rules = {"misspelling": misspellings, "doubled-word": doubled, "glued-sentence": glued,
                      "demonym-case": demonyms}
        # the word forms the ``words`` step looks for (shared while no config adds words)
        if config is None:
            self._targets = _default_targets(misspellings, demonyms)
        else:
            self._targets = _targets(self.lexicon, misspellings, demonyms)
        # each step's edits per line: its steps read nothing but the line (see steps())
        self._memos = {"glued": LineMemo(), "words": LineMemo(), "doubled": LineMemo()}
        self._steps: tuple[tuple[bool, ...], list] | None = None  # (rules, steps) last built

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_steps"] = None  # closures: built again after unpickling (dask workers)
        return state

    def __repr__(self) -> str:
        return f"TyposFilter(config={self.config!r})"

    def steps(self) -> list[Callable[[str, Any], Iterable[Edit]]]:
        """Glued sentences first (so a word after them is seen alone), then words, then doublings.

        Each step is line-local (:mod:`.local`): an edit is inside one line and depends only
        on that line (a ``[sic]`` counts on the word's own line), so a settle round reads
        only the lines changed since the filter's last run, and each step reads a line it
        has seen before (in this document or an earlier one) from its memo.
        """
        flags = tuple(self.rules.values())
        if self._steps is not None and self._steps[0] == flags:
            return list(self._steps[1])
        out: list[Callable[[str, Any], Iterable[Edit]]] = []
        memo = self._memos
        if self.rules["glued-sentence"]:
            out.append(line_local(self.glued, memo["glued"]))
        if self.rules["misspelling"] or self.rules["demonym-case"]:
            out.append(line_local(self.words, memo["words"]))
        if self.rules["doubled-word"]:
            out.append(line_local(self.doubled, memo["doubled"]))
        self._steps = (flags, out)
        return list(out)

    def propose(self, text: str, doc: Any = None) -> list[Edit]:
        """Every step's edits on ``text`` as it is (for one-off use; the pipeline runs ``steps``)."""
        edits: list[Edit] = []
        for step in self.steps():
            edits.extend(step(text, doc))
        return edits

    # -- shared guards

    def _protected(self, text: str, start: int, end: int) -> bool:
        if text[start:end].lower() in self.lexicon.allow:
            return True
        if _SIC.match(text, end) or _in_sic_quotation(text, start, end):
            return True
        if start and _QUOTES.get(text[start - 1]) == text[end:end + 1]:
            return True  # a word quoted alone is mentioned, not used: "teh" is a typo
        return _machine(text, start, end)

    # -- misspellings and demonyms

    def words(self, text: str, doc: Any = None) -> Iterator[Edit]:
        # the forms that may change: lower case (misspellings, demonyms) and
        # capitalised misspellings; capitals and mixed case are never touched
        wanted = {w.decode("utf-8", "surrogatepass") for w in _words_in(text) & self._targets}
        if not wanted:
            return
        for m in _finder(wanted).finditer(text):
            word = m.group()
            s, e = m.span()
            if s and (text[s - 1].isalnum() or text[s - 1] in "_'\u2019"):
                continue  # inside a longer word
            low = word.lower()
            if self.rules["misspelling"] and low in self.lexicon.misspellings:
                edit = self._misspelling(text, s, e, word)
            elif self.rules["demonym-case"] and low in self.lexicon.demonyms:
                edit = self._demonym(text, s, e, word)
            else:
                edit = None
            if edit is not None:
                yield edit

    def _misspelling(self, text: str, s: int, e: int, word: str) -> Edit | None:
        listed, fix = self.lexicon.misspellings[word.lower()]
        case = _case(word)
        if case == "other":
            return None
        if listed != listed.lower() and word not in (listed, listed.lower()):
            return None  # a listed capitalised form ("Ukranian") matches as listed or in lower case
        if case == "title" and listed == listed.lower():
            # a capitalised word is a name until proven otherwise: fixed only where
            # a sentence starts, and only if it is long enough not to be a short name
            # ("Juli Clover" is no misspelling of July). Entries listed capitalised
            # ("Ukranian") are proper-noun misspellings and are fixed anywhere.
            if len(word) < 5 or not _sentence_start(text, s):
                return None
        if self._protected(text, s, e):
            return None
        new = _recase(fix, word)
        if new == word:
            return None
        return Edit(s, e, new, "misspelling", f"known misspelling of {fix!r}")

    def _demonym(self, text: str, s: int, e: int, word: str) -> Edit | None:
        lex = self.lexicon
        if not word.islower() or self._protected(text, s, e):
            return None
        if self._previous_word(text, s) in lex.demonym_prefixes:
            return None
        nxt = _WORD.match(text, e + 1) if text[e:e + 1] == " " else None
        if nxt and f"{word} {nxt.group()}" in lex.demonym_exceptions:
            return None
        return Edit(s, e, word[0].upper() + word[1:], "demonym-case",
                    "demonyms and proper adjectives are capitalised")

    @staticmethod
    def _previous_word(text: str, s: int) -> str:
        """The word before ``s`` if only spaces separate them, else ''."""
        j = s
        while j > 0 and text[j - 1] in " \t":
            j -= 1
        if j == s:
            return ""
        k = j
        while k > 0 and j - k < 40 and text[k - 1].isalpha():
            k -= 1
        return text[k:j]

    # -- doubled words

    def doubled(self, text: str, doc: Any = None) -> Iterator[Edit]:
        ok = self.lexicon.doubled_ok
        at_start = _DOUBLED_AT_START.match(text)
        done = 0  # end of the last run of repeats handled: its later pairs are already logged
        for m in itertools.chain([at_start] if at_start else [], _doubled_pairs(text)):
            if m.start(1) < done:
                continue
            first = m.group(1)
            low = first.lower()
            if low in ok or (len(low) == 1 and low != "a"):
                continue
            if not (first.islower() or (_case(first) == "title" and _sentence_start(text, m.start(1)))):
                continue
            if self._protected(text, m.start(1), m.end(1)):
                continue
            # the pair, then any further repeats ("the the the"): each repeat goes; a word
            # written more than _MAX_COPIES times in a row is no slip of the keyboard (a
            # chant, a filler, a generated page), so the whole run is left as it is
            prev_end, s, e = m.end(1), m.start(2), m.end(2)
            again = re.compile(r" (" + re.escape(low) + r")(?![\w'\u2019-])", re.IGNORECASE)
            copies, end = 2, e
            while (nxt := again.match(text, end)) is not None:
                copies, end = copies + 1, nxt.end(1)
            if copies > _MAX_COPIES:
                done = end
                continue
            while True:
                second = text[s:e]
                if not second.islower() or self._protected(text, s, e):
                    break
                yield Edit(prev_end, e, "", "doubled-word", f"word {low!r} written twice")
                done = e
                nxt = again.match(text, e)
                if nxt is None:
                    break
                prev_end, s, e = e, nxt.start(1), nxt.end(1)

    # -- glued sentences

    def glued(self, text: str, doc: Any = None) -> Iterator[Edit]:
        lex = self.lexicon
        for m in _GLUED.finditer(text):
            dot = m.start()
            if not dot or not "a" <= text[dot - 1] <= "z":
                continue
            i = dot
            while i > 0 and "a" <= text[i - 1] <= "z":
                i -= 1
            if dot - i >= 2 and i > 0 and "A" <= text[i - 1] <= "Z":
                i -= 1  # a capitalised last word ("in Kyiv.The mayor"), at least three letters
                if dot - i < 3:
                    continue
            left = text[i:dot]
            if len(left) < 2 or (i > 0 and (text[i - 1].isalnum() or text[i - 1] in _GLUED_LEFT_STOP)):
                continue
            r = _GLUED_RIGHT.match(text, dot + 1)
            if r is None:
                continue
            right, after = r.group(), r.end()
            if after >= len(text) or not text[after].isspace():
                continue  # "decimal.Decimal", "Math.Round(": a sentence's first word is followed by a space
            if left.lower() in lex.abbreviations or right.lower() in lex.suffixes:
                continue
            chunk = _chunk(text, i, after)
            if chunk.count(".") > 2 or re.search(r"://|www\.|[@/\\_=#{}<>|~^*+\[\]`\d]", chunk):
                continue
            if left in lex.allow or right.lower() in lex.allow:
                continue
            yield Edit(dot + 1, dot + 1, " ", "glued-sentence", "missing space after a full stop between sentences")
