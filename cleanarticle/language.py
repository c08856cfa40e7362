"""Language detection: langdetect's answers, deterministic and fast.

langdetect is a naive-Bayes detector over character 1-3-grams. It is random
unless seeded (``langdetect.detect`` may answer differently on two runs), it
raises on text without letters, and most of its 5-25 ms a document go to a
per-character Python loop that turns text into n-grams, plus a 55-language
Python loop per sampled n-gram.

This module computes the *same* result as a langdetect ``Detector`` seeded with
0 (same profiles, same text preparation, same n-gram list, same random draws,
same floating-point operations in the same order), only faster:

- the per-character normalisation is one ``str.translate`` with a cached
  table, and n-grams are extracted per word with a per-word cache (a word's
  n-grams do not depend on its neighbours once text is normalised);
- the probability update is one vectorised multiply per draw instead of a
  Python loop over the 55 languages (element-wise IEEE operations, so the
  numbers are bit-identical); sums use Python's ``sum`` exactly as langdetect.

:func:`detect` first tries a fast path: the naive-Bayes sum over the
n-grams (what langdetect's random trials estimate) of at most 600 evenly
spaced words, from cached per-word rows; when one language leads by a wide
margin overall *and* in every quarter of the text, that is the answer. The
n-grams of the words without a row yet are found all at once: each n-gram of
up to three characters packs into one integer, looked up in the sorted
integers of the profiles' n-grams (one ``np.searchsorted``), in langdetect's
order, so a new word's row is the same sum as before. A text read a third time
(a document cleaned again, a copy in a corpus) is read a raw line at a time
(:meth:`_Model.raw_scores`): its lines are kept with their prepared words and the
ids of their rows, and it costs a lookup a line.
Anything closer (short text, related languages, mixed documents) gets the
exact langdetect computation above.

Text with fewer than 20 letters gets ``("und", 0.0)``: langdetect's guesses on
such input are noise, and on letterless input it raises. Only the first
10,000 characters count, as in langdetect.

For mixed documents (an English article with a Spanish site menu),
:func:`detect_paragraphs` gives one answer per paragraph; it costs about a
millisecond per paragraph, so call it where a per-paragraph decision matters
(e.g. before applying English-only boilerplate phrases to one block).

>>> detect("")
('und', 0.0)
>>> detect("Der schnelle braune Fuchs springt über den faulen Hund und läuft davon.")[0]
'de'
"""

from __future__ import annotations

import random
import re
import threading
from itertools import chain, compress, islice, repeat
from operator import attrgetter, is_
from typing import Iterator, NamedTuple

__all__ = ["detect", "detect_paragraphs", "warm", "ParagraphLanguage", "UNDETERMINED", "MIN_LETTERS"]

UNDETERMINED = "und"
MIN_LETTERS = 20
SEED = 0
_LETTER_WINDOW = 2000
_PRE_SLICE = 100_000  # URL/e-mail removal runs on this much text before langdetect's 10,000-char cut
_LETTER = re.compile(r"[^\W\d_]")
_LATIN_AZ = re.compile(r"[A-z]")
_MAX_WORD_ROWS = 20_000  # cached word rows (55 floats each): past this, start afresh
_MAX_WORD_NGRAMS = 20_000  # cached n-gram lists of words, for the exact path
_MAX_VECTORS = 20_000  # cached probability vectors of n-grams, for the exact path
_FAST_MAX_WORDS = 600
_MAX_LINE_CHARS = 2_000_000  # characters of the lines whose words are cached: past this, start afresh
_NOT_A_TO_Z = bytes(c for c in range(128) if not ord("A") <= c <= ord("z"))  # langdetect's 'A' <= ch <= 'z'
_AT_LEAST_0300 = re.compile("[\u0300-\U0010ffff]")


def _ranges(codes: list[int]) -> str:
    """A regex character class for sorted code points, as ranges."""
    out = []
    i = 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        a, b = codes[i], codes[j]
        out.append(f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}")
        i = j + 1
    return "[" + "".join(out) + "]"


_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*")


class _Model:
    """langdetect's profiles and constants, plus the caches that make it fast."""

    def __init__(self) -> None:
        import numpy as np
        from langdetect.detector import Detector
        from langdetect.detector_factory import DetectorFactory, PROFILES_DIRECTORY
        from langdetect.utils.ngram import NGram
        from langdetect.utils.unicode_block import unicode_block

        factory = DetectorFactory()
        factory.load_profile(PROFILES_DIRECTORY)
        self.np = np
        self.langlist = list(factory.langlist)
        self.word_map = factory.word_lang_prob_map
        self.vectors: dict[str, object] = {}
        self.word_ngrams: dict[str, tuple[str, ...]] = {}
        self.line_keys: dict[str, tuple[str, ...]] = {}
        self.line_chars = 0  # characters of the lines in line_keys
        self.raw_lines: dict[str, _RawLine] = {}  # see raw_scores
        self.raw_seen: dict[str, int] = {}  # times a text was read (up to 3: see raw_scores)
        self.seen_chars = 0  # characters of those texts
        self.raw_chars = 0  # characters of the lines in raw_lines
        self.detector_cls = Detector
        self.factory = factory
        self.ngram_cls = NGram
        self.unicode_block = unicode_block
        self.table = _NormTable(NGram.normalize)
        self._build_normalizer()
        self._build_gram_keys()
        self._reset_rows()
        from . import language_compiled

        # the fast path's sums compiled (numba), if installed and adding as numpy does here
        self.compiled = language_compiled.chunk_sums if language_compiled.usable() else None
        self.compiled_leads = language_compiled.leads
        self.compiled_rows = language_compiled.segment_rows
        self.url_re = Detector.URL_RE
        self.mail_re = Detector.MAIL_RE
        self.max_len = 10000
        self.n_trial = 7
        self.alpha = Detector.ALPHA_DEFAULT
        self.alpha_width = Detector.ALPHA_WIDTH
        self.iteration_limit = Detector.ITERATION_LIMIT
        self.conv_threshold = Detector.CONV_THRESHOLD
        self.base_freq = Detector.BASE_FREQ
        self.prob_threshold = Detector.PROB_THRESHOLD

    # -- text preparation: Detector.append + Detector.cleaning_text ---------
    def prepare(self, text: str) -> str:
        text = self._strip(text)[: self.max_len]
        if "  " in text:
            text = re.sub(" {2,}", " ", text)
        if not text.isascii():
            # Latin letters go when fewer than half the characters from U+0300 on: those
            # are at most the non-ASCII characters, so count them only when that bound
            # does not settle it (langdetect means to skip Latin Extended Additional,
            # U+1E00-U+1EFF, here, but compares its block number with the block's name,
            # so it counts those too)
            ascii_text = text.encode("ascii", "ignore")
            latin = len(ascii_text.translate(None, _NOT_A_TO_Z))
            if latin * 2 < len(text) - len(ascii_text) and latin * 2 < len(_AT_LEAST_0300.findall(text)):
                text = _LATIN_AZ.sub("", text)
        return text

    def _strip(self, text: str) -> str:
        """URLs and e-mail addresses made spaces, Vietnamese marks composed: what
        langdetect does before its cut. No match of these crosses a line."""
        if "http" in text:
            text = self.url_re.sub(" ", text)
        if "@" in text:
            text = self.mail_re.sub(" ", text)
        # normalize_vi rewrites a vowel followed by one of its combining marks: without
        # any such mark (always for ASCII text) it changes nothing, so skip the regex scan
        if not text.isascii() and any(map(text.__contains__, self.ngram_cls.DMARK_CLASS)):
            text = self.ngram_cls.normalize_vi(text)
        return text

    # -- the fast path's words, a raw line at a time ----------------------
    def raw_scores(self, text: str, chunks: int = 4) -> tuple[object, list[int]] | None:
        """``scores(prepare(text))`` from a cache of each raw line's prepared words and
        their rows, or ``None`` when only the whole text will do: a line of it is not
        kept yet, or it keeps so few Latin letters that they go (a text mostly in
        another script).

        Every step of :meth:`prepare` but its cut and that last one reads a line on its
        own (no URL, e-mail address or run of spaces crosses a newline), and the cut
        falls in a known line once the lengths of the lines before it are known; the
        words of the prepared text are then those of its lines (see :meth:`word_keys`),
        its last word without its space when the text ends inside it. The lines of a
        text are kept, with the row of each of their words, from the third time the
        text is read (a document cleaned again, a copy in a corpus; cleaning reads a
        document twice, its input and its output, so an article cleaned once keeps
        nothing and pays one lookup); such a text then costs a lookup a line, one join
        and the sums. (Its lines are shared with the other texts read this way.)
        """
        np = self.np
        if self.n_rows > _MAX_WORD_ROWS:
            self._reset_rows()
        if self.raw_chars > _MAX_LINE_CHARS:
            self.raw_lines.clear()
            self.raw_chars = 0
        seen = self.raw_seen
        times = seen.get(text, 0)
        if times < 2:  # a text read once or twice is prepared whole (see above)
            if self.seen_chars > _MAX_LINE_CHARS:
                seen.clear()
                self.seen_chars = 0
            seen[text] = times + 1
            self.seen_chars += len(text) if not times else 0
            return None
        seen[text] = 3
        lines = text.split("\n")
        used = list(map(self.raw_lines.get, lines))
        if None in used and not self._keep_lines(lines, used):
            return None
        if len(text) > self.max_len:
            # (stripping never lengthens a line: a shorter text keeps all its lines)
            room = self.max_len  # characters the cut leaves from this line on
            for k, e in enumerate(used):
                if e.length > room:
                    used[k] = self._raw_line(lines[k], room)  # the cut falls in it
                    del used[k + 1:]
                    break
                room -= e.length + 1  # and its newline
                if room < 0:  # the cut falls on that newline
                    del used[k + 1:]
                    break
        last = used[-1]
        if last.text and self.normalize(last.text[-1]) != " ":
            used[-1] = last = self._ending(last)  # the text ends inside its last word
        if last.ids is None and not self._add_ids([last]):
            return None  # (the rows started afresh)
        counts = sum(map(_COUNTS, used))
        total = counts & _FIELD
        nonascii = counts >> _BITS & _FIELD
        if nonascii:
            latin, high = counts >> 2 * _BITS & _FIELD, counts >> 3 * _BITS
            if latin * 2 < nonascii and latin * 2 < high:
                return None
        if not total:
            return None, []
        idx = np.frombuffer(b"".join(map(_IDS, used)), dtype=np.intp)
        if total > _FAST_MAX_WORDS:  # every n-th word, as scores() samples them
            idx = idx[::-(-total // _FAST_MAX_WORDS)].copy()
        return self._sums(idx, chunks)

    def _keep_lines(self, lines: list[str], used: list) -> bool:
        """Fill ``used`` (the entries of ``lines``, None where not kept yet), keeping the
        new lines with their words' rows; False if the rows had to start afresh."""
        fresh = {raw: self._raw_line(raw) for raw, e in zip(lines, used) if e is None}
        if not self._add_ids(list(fresh.values())):
            return False
        self.raw_lines.update(fresh)
        self.raw_chars += sum(map(len, fresh)) + len(fresh)
        used[:] = map(self.raw_lines.__getitem__, lines)
        return True

    def _add_ids(self, entries: list["_RawLine"]) -> bool:
        """Give each entry the ids of its words' rows (adding the rows missing), all in
        one go; False if the rows had to start afresh (every entry kept is then gone)."""
        np = self.np
        word_ids = self.word_ids
        keys = [k for e in entries for k in e.keys]
        new = list(dict.fromkeys(k for k in keys if k not in word_ids))
        if new:
            if self.n_rows + len(new) > len(self.rows) - 1:
                self._reset_rows()  # (forgets every line kept)
                return False
            self._add_words(new)
        ids = np.fromiter(map(word_ids.__getitem__, keys), dtype=np.intp, count=len(keys)).tobytes()
        size = len(ids) // len(keys) if keys else 0
        at = 0
        for e in entries:
            end = at + len(e.keys) * size
            e.ids = ids[at:end]
            at = end
        return True

    def _raw_line(self, raw: str, cut: int | None = None) -> "_RawLine":
        """What :meth:`raw_scores` keeps of a line (``cut``: only so many characters of
        it once stripped are in the text)."""
        text = self._strip(raw)
        length = len(text)
        if cut is not None:
            text = text[:cut]
        if "  " in text:
            text = re.sub(" {2,}", " ", text)
        ascii_text = text.encode("ascii", "ignore")
        nonascii = len(text) - len(ascii_text)
        high = len(_AT_LEAST_0300.findall(text)) if nonascii else 0
        return _RawLine(length, text, nonascii, len(ascii_text.translate(None, _NOT_A_TO_Z)), high,
                        self._line_keys(text))

    def _ending(self, e: "_RawLine") -> "_RawLine":
        """Line ``e`` ending the text inside its last word: that word has no space after
        it (kept with ``e``)."""
        out = e.end
        if out is None:
            keys = e.keys[:-1] + (e.keys[-1][:-1],)
            out = _RawLine(e.length, e.text, e.nonascii, e.latin, e.high, keys)
            if e.ids is not None:  # a kept line keeps it (with its rows: see raw_scores)
                e.end = out
        return out

    # -- Detector._extract_ngrams, per word with a cache --------------------
    def ngrams(self, text: str) -> list[str]:
        norm = self.normalize(text)
        parts = norm.split(" ")
        last = len(parts) - 1
        out: list[str] = []
        cache = self.word_ngrams
        for i, w in enumerate(parts):
            if not w:
                continue
            key = w + " " if i < last else w
            grams = cache.get(key)
            if grams is None:
                grams = self._word_ngrams(key)
                if len(cache) < _MAX_WORD_NGRAMS:
                    cache[key] = grams
            out.extend(grams)
        return out

    def _word_ngrams(self, word: str) -> tuple[str, ...]:
        """n-grams langdetect emits for ``word`` (already normalised) after a space.

        langdetect slides a window of the last three characters over `` word``; at a
        character it emits the 1-, 2- and 3-gram ending there that are in its profiles,
        except when that character and the one before are both capitals (an acronym) or
        the 1-gram is a space.
        """
        s = " " + word
        known = self.word_map
        if not any(map(str.isupper, word[1:])):
            # no two capitals in a row (the usual case): every n-gram counts; the same
            # order as the loop below: by position, then 1-, 2-, 3-gram
            cand = [s[1]] + [s[:2]] if len(s) > 1 else []
            for i in range(2, len(s)):
                cand += (s[i], s[i - 1:i + 1], s[i - 2:i + 1])
            return tuple(g for g in cand if g in known and g != " ")
        out: list[str] = []
        append = out.append
        prev_upper = False
        for i in range(1, len(s)):
            ch = s[i]
            upper = ch.isupper()
            if upper and prev_upper:
                continue
            prev_upper = upper
            if ch != " " and ch in known:
                append(ch)
            g = s[i - 1:i + 1]
            if g in known:
                append(g)
            if i >= 2:
                g = s[i - 2:i + 1]
                if g in known:
                    append(g)
        return tuple(out)

    # -- the fast path: naive Bayes over every n-gram, no sampling ---------
    def scores(self, text: str, chunks: int = 4) -> tuple[object, list[int]]:
        """Summed log-likelihood per language over the n-grams of prepared ``text``,
        for each of ``chunks`` consecutive stretches of words (rows of a matrix).

        This is the quantity langdetect's random trials estimate (with the
        smoothing at its mean). Each distinct word gets a row of summed
        log-probabilities once; a document is then one gather and one sum.
        """
        np = self.np
        if self.n_rows > _MAX_WORD_ROWS:  # checked per document: a document adds at most 600
            self._reset_rows()
        keys = self.word_keys(text)
        if not keys:
            return None, []
        if len(keys) > _FAST_MAX_WORDS:
            # an evenly spaced subset of the words: same language mix, bounded cost
            keys = keys[:: -(-len(keys) // _FAST_MAX_WORDS)]
        ids = list(map(self.word_ids.get, keys))
        if None in ids:
            new = list(dict.fromkeys(k for k, i in zip(keys, ids) if i is None))
            known = dict(zip(new, self._add_words(new)))
            ids = [known[k] if i is None else i for k, i in zip(keys, ids)]
        return self._sums(np.fromiter(ids, dtype=np.intp, count=len(ids)), chunks)

    def _sums(self, idx, chunks: int) -> tuple[object, list[int]]:
        """The rows ``idx`` summed in ``chunks`` stretches, and their n-gram counts."""
        np = self.np
        k = min(chunks, len(idx))
        if self.compiled is not None:  # the same sums, without the gathered matrix
            sums, counts = self.compiled(self.rows, self.row_sizes, idx, k)
            if not counts.any():
                return None, []
            return sums, counts.tolist()
        sizes = self.row_sizes[idx]
        if not sizes.any():
            return None, []
        bounds = [len(idx) * j // k for j in range(k)]
        sums = np.add.reduceat(self.rows[idx], bounds, axis=0)
        return sums, [int(x) for x in np.add.reduceat(sizes, bounds)]

    def word_keys(self, text: str) -> list[str]:
        """``_word_keys(self.normalize(text))``, a line, then a space-separated token, at a time.

        The normalisation maps each character on its own and makes a space of a space
        and of a newline, so the normalised text is the tokens of ``text.split(" ")``
        normalised one by one, joined with spaces: the words of a token are the same
        wherever it stands, each followed by a space, except a word that ends the whole
        text. The same holds for the lines of ``text.split("\\n")``. The words of each
        distinct line are cached (cleaning checks the language of its input and of its
        output, which share most lines, and a site repeats its lines), so such a document
        costs a split and a lookup per line.
        """
        cache = self.line_keys
        if self.line_chars > _MAX_LINE_CHARS:
            cache.clear()
            self.line_chars = 0
        lines = text.split("\n")
        parts = list(map(cache.get, lines))
        if None in parts:
            for k, line in enumerate(lines):
                if parts[k] is None:
                    parts[k] = cache[line] = self._line_keys(line)
                    self.line_chars += len(line) + 1
        keys = list(chain.from_iterable(parts))
        last = self.normalize(text[text.rfind(" ") + 1:])
        if last and last[-1] != " ":  # the text ends inside a word: no space after it
            keys[-1] = keys[-1][:-1]
        return keys

    def _line_keys(self, line: str) -> tuple[str, ...]:
        """The words of one line (no newline in it), each with a space after it: the
        line normalised in one call (the words of its tokens, one after another)."""
        return tuple(_word_keys(self.normalize(line) + " "))

    def _reset_rows(self) -> None:
        """Forget the cached word rows. The arrays are allocated once, at their largest
        size: zero pages cost no memory until a row is written, so memory grows with the
        rows in use up to that bound and never by copying."""
        np = self.np
        n_lang = len(self.langlist)
        if getattr(self, "rows", None) is None:
            self.rows = np.zeros((_MAX_WORD_ROWS + _FAST_MAX_WORDS + 1, n_lang))
            self.row_sizes = np.zeros(len(self.rows), dtype=np.int64)
            # per n-gram log-probability rows, filled on first use, packed in that order
            # (a corpus uses far fewer n-grams than the profiles hold); ``gram_rows``: the
            # row of each n-gram of ``gram_keys``, -1 until it has one. They depend on the
            # profiles alone, so they are kept when the word rows start afresh.
            self.gram_logs = np.zeros((len(self.gram_keys), n_lang))
            self.gram_rows = np.full(len(self.gram_keys), -1, dtype=np.intp)
            self.n_grams = 0
        self.word_ids = {}
        self.n_rows = 0
        self.raw_lines = {}  # their rows are gone
        self.raw_chars = 0

    def _build_gram_keys(self) -> None:
        """Every profile n-gram as one integer (:func:`_pack`), in ``gram_keys`` (sorted),
        and its text in ``gram_texts`` (same order): the n-grams of many words are then
        found with one sorted search."""
        np = self.np
        grams = [g for g in self.word_map if 1 <= len(g) <= 3]  # langdetect's are all 1-3 characters
        keys = np.empty(len(grams), dtype=np.int64)
        lengths = np.fromiter(map(len, grams), dtype=np.intp, count=len(grams))
        for n in (1, 2, 3):
            at = np.flatnonzero(lengths == n)
            if len(at):
                keys[at] = _pack(_code_points("".join([grams[i] for i in at.tolist()])).reshape(-1, n))
        order = np.argsort(keys, kind="stable")
        self.gram_keys = keys[order]
        self.gram_texts = [grams[i] for i in order.tolist()]

    def _add_words(self, keys: list[str]) -> list[int]:
        """Rows for new words ``keys`` (distinct, not yet known), in one gather and sum.

        A word's row is the sum of its n-grams' log-probability rows, in n-gram order, by
        ``np.add.reduceat`` (its order of additions: a row's floats depend on it). The
        words without a capital after their first character (all but acronyms and
        CamelCase) get their n-grams from :meth:`_gram_ids` in one go, the others one at
        a time from :meth:`_word_ngrams`.
        """
        np = self.np
        first = self.n_rows
        need = first + len(keys)  # at most _FAST_MAX_WORDS past the bound checked in scores()
        self.rows[first:need] = 0.0  # rows of an earlier generation may be there
        self.row_sizes[first:need] = 0
        capital = [k for k, w in enumerate(keys) if not w[1:].islower() and any(map(str.isupper, w[1:]))]
        if capital:
            plain = sorted(set(range(len(keys))).difference(capital))
            texts = [self._word_ngrams(keys[k]) for k in capital]
            ids = [self._text_ids(t) for t in texts]
            self._fill(np.asarray(capital, dtype=np.intp) + first,
                       np.concatenate(ids) if ids else np.empty(0, dtype=np.intp),
                       np.fromiter(map(len, texts), dtype=np.intp, count=len(texts)))
        else:
            plain = range(len(keys))
        if len(plain):
            at = np.asarray(plain, dtype=np.intp)
            flat, sizes = self._gram_ids([keys[k] for k in plain] if capital else keys)
            self._fill(at + first, flat, sizes)
        ids = list(range(first, need))
        self.word_ids.update(zip(keys, ids))
        self.n_rows = need
        return ids

    def _gram_ids(self, words: list[str]) -> tuple[object, object]:
        """:meth:`_word_ngrams` of each of ``words`` (none has a capital after its first
        character) as indexes into ``gram_keys``, word after word, and how many each has.

        The words are laid out as ``" " + word`` one after another; at each character
        (not the leading space) the 1-, 2- and 3-gram ending there (the 3-gram from the
        second character on), in that order, are looked up, and the 1-gram of a space
        is not emitted: the n-grams langdetect emits, in its order.
        """
        np = self.np
        lengths = np.fromiter(map(len, words), dtype=np.intp, count=len(words)) + 1
        cp = _code_points(" " + " ".join(words))
        n = len(cp)
        pos = np.arange(n) - np.repeat(np.cumsum(lengths) - lengths, lengths)  # in " " + word
        keys = np.zeros((n, 3), dtype=np.int64)  # the 1-, 2- and 3-gram ending at each character
        keys[:, 0] = cp
        keys[1:, 1] = cp[:-1] << 21
        keys[:, 1] |= cp
        keys[2:, 2] = cp[:-2] << 42
        keys[:, 2] |= keys[:, 1]
        ok = np.empty((n, 3), dtype=bool)
        ok[:, 0] = (pos >= 1) & (cp != ord(" ") + 1)
        ok[:, 1] = pos >= 1
        ok[:, 2] = pos >= 2
        table = self.gram_keys
        at = np.searchsorted(table, keys)
        np.minimum(at, len(table) - 1, out=at)
        ok &= table[at] == keys
        word = np.repeat(np.arange(len(words)), lengths)
        sizes = np.bincount(np.broadcast_to(word[:, None], (n, 3))[ok], minlength=len(words))
        return at[ok], sizes

    def _text_ids(self, grams: tuple[str, ...]) -> object:
        """Indexes into ``gram_keys`` of the profile n-grams ``grams``."""
        np = self.np
        keys = np.fromiter((_gram_key(g) for g in grams), dtype=np.int64, count=len(grams))
        return np.searchsorted(self.gram_keys, keys)

    def _fill(self, at, flat, sizes) -> None:
        """Word rows ``at`` get the sums of their n-grams' log-probability rows: ``flat``,
        the n-grams (indexes into ``gram_keys``) word after word, ``sizes`` per word."""
        np = self.np
        if not len(flat):
            return
        rows = self.gram_rows[flat]
        if (rows < 0).any():
            fresh = np.unique(flat[rows < 0])
            top = self.n_grams
            self.gram_rows[fresh] = np.arange(top, top + len(fresh))
            self.n_grams = top + len(fresh)
            word_map, texts = self.word_map, self.gram_texts
            self.gram_logs[top:self.n_grams] = np.log(
                np.array([word_map[texts[i]] for i in fresh.tolist()]) + self.alpha / self.base_freq)
            rows = self.gram_rows[flat]
        filled = sizes > 0
        starts = np.cumsum(sizes) - sizes
        if self.compiled is not None:  # the same sums, without the gathered matrix
            self.compiled_rows(self.gram_logs, rows, starts, sizes, at, self.rows)
        else:
            self.rows[at[filled]] = np.add.reduceat(self.gram_logs[rows], starts[filled], axis=0)
        self.row_sizes[at[filled]] = sizes[filled]

    def normalize(self, text: str) -> str:
        """langdetect's per-character normalisation (``NGram.normalize``) of a whole text."""
        text = self._to_space.sub(" ", text)
        if self._special.search(text):
            text = text.translate(self.table)
        return text

    def _build_normalizer(self) -> None:
        """Classify every BMP character once: kept, made a space, or mapped otherwise."""
        normalize = self.ngram_cls.normalize
        space, special = [], []
        for cp in range(0x10000):
            if 0xD800 <= cp <= 0xDFFF:
                special.append(cp)
                continue
            ch = chr(cp)
            out = normalize(ch)
            if out == ch:
                continue
            (space if out == " " and cp != 0x20 else special).append(cp)
        self._to_space = re.compile(_ranges(space) + "+")
        self._special = re.compile(_ranges(special)[:-1] + "\U00010000-\U0010ffff]")

    # -- Detector._detect_block's trials, vectorised ------------------------
    def probabilities(self, ngrams: list[str]) -> list[tuple[str, float]]:
        np = self.np
        n_lang = len(self.langlist)
        vectors = self.vectors
        rnd = random.Random()
        rnd.seed(SEED)
        langprob = np.zeros(n_lang)
        for _ in range(self.n_trial):
            prob = np.full(n_lang, 1.0 / n_lang)
            alpha = self.alpha + rnd.gauss(0.0, 1.0) * self.alpha_width
            weight = alpha / self.base_freq
            i = 0
            while True:
                word = rnd.choice(ngrams)
                vec = vectors.get(word)
                if vec is None:
                    if len(vectors) >= _MAX_VECTORS:
                        vectors.clear()
                    vec = vectors[word] = np.array(self.word_map[word], dtype=np.float64)
                prob *= weight + vec
                if i % 5 == 0:
                    sump = sum(prob.tolist())
                    prob /= sump
                    if float(prob.max()) > self.conv_threshold or i >= self.iteration_limit:
                        break
                i += 1
            langprob += prob / self.n_trial
        ranked = [(p, k) for k, p in enumerate(langprob.tolist()) if p > self.prob_threshold]
        # langdetect sorts Language objects by probability, descending, stable on ties
        ranked.sort(key=lambda pk: pk[0], reverse=True)
        return [(self.langlist[k], p) for p, k in ranked]


_COUNTS = attrgetter("counts")
_IDS = attrgetter("ids")
_BITS = 24  # a field of _RawLine.counts: a line's counts, summed over a text's 100,000
_FIELD = (1 << _BITS) - 1  # characters at most, stay within their own field


class _RawLine:
    """A raw line as :meth:`_Model.raw_scores` reads it: its length once URLs and e-mail
    addresses are stripped (``length``, for the cut), its prepared ``text``, counts of its
    non-ASCII characters, ASCII letters and characters from U+0300 on (for the Latin
    rule), its words (each with a space after it), the ids of their rows (the bytes of
    an ``np.intp`` array), and the line as it is when it ends the text inside its last
    word (``end``)."""

    __slots__ = ("length", "text", "nonascii", "latin", "high", "keys", "counts", "ids", "end")

    def __init__(self, length: int, text: str, nonascii: int, latin: int, high: int,
                 keys: tuple[str, ...]) -> None:
        self.length, self.text, self.keys = length, text, keys
        self.nonascii, self.latin, self.high = nonascii, latin, high
        # its words and those counts as the fields of one integer: a text's are one sum
        self.counts = len(keys) | nonascii << _BITS | latin << 2 * _BITS | high << 3 * _BITS
        self.ids: bytes | None = None
        self.end: _RawLine | None = None


class _NormTable(dict):
    """``str.translate`` table computing langdetect's per-character normalisation on demand."""

    def __init__(self, normalize) -> None:
        super().__init__()
        self._normalize = normalize

    def __missing__(self, code: int) -> str:
        value = self._normalize(chr(code))
        self[code] = value
        return value


_model: _Model | None = None
_lock = threading.Lock()


def _get_model() -> _Model:
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = _Model()
    return _model


def _code_points(text: str):
    """The code points of ``text`` plus one, as int64 (so no character packs as zero)."""
    import numpy as np

    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64) + 1


def _pack(cp):
    """Rows of code points (from :func:`_code_points`) as one integer each, 21 bits a
    character: distinct for distinct strings of up to three characters."""
    key = cp[:, 0].copy()
    for j in range(1, cp.shape[1]):
        key = (key << 21) | cp[:, j]
    return key


def _gram_key(gram: str) -> int:
    """:func:`_pack` of one string.

    >>> _gram_key("ab") == (ord("a") + 1) << 21 | (ord("b") + 1)
    True
    """
    key = 0
    for ch in gram:
        key = key << 21 | (ord(ch) + 1)
    return key


def _word_keys(text: str) -> list[str]:
    """Each maximal run of non-spaces of ``text`` with the space after it, if any (what
    ``re.findall("[^ ]+ ?", text)`` gives, without a regex scan).

    >>> _word_keys("the  cat sat ")
    ['the ', 'cat ', 'sat ']
    """
    parts = text.split(" ")
    keys = [w + " " for w in parts[:-1] if w]
    if parts[-1]:
        keys.append(parts[-1])
    return keys


def warm() -> None:
    """Load langdetect's profiles now (about a second) rather than on the first call."""
    _get_model()


def probabilities(text: str) -> list[tuple[str, float]]:
    """langdetect's ranked ``(language, probability)`` list for ``text``, seeded.

    Empty when langdetect would raise (no usable n-gram). No letter threshold.
    """
    model = _get_model()
    with _lock:  # the caches are shared; keep mutation single-threaded
        grams = model.ngrams(model.prepare(text[:_PRE_SLICE]))
        if not grams:
            return []
        return model.probabilities(grams)


def detect(text: str, *, exact: bool = False) -> tuple[str, float]:
    """ISO 639-1 code (``zh-cn`` style for Chinese) and a confidence in 0..1.

    ``("und", 0.0)`` for text with fewer than 20 letters in its first 2,000
    characters, or where langdetect finds no feature. Deterministic.

    Fast path: when the full naive-Bayes sum over all n-grams names one
    language by a wide margin (at least ``FAST_MIN_NGRAMS`` n-grams, a lead
    of ``FAST_MARGIN`` nats in total and ``FAST_MARGIN_PER_NGRAM`` per n-gram
    over the runner-up), that language is the answer and the confidence is
    its posterior. Anything closer (short text, mixed languages, related
    languages) goes to the exact langdetect computation, as does ``exact=True``.
    """
    if sum(1 for _ in islice(_LETTER.finditer(text, 0, _LETTER_WINDOW), MIN_LETTERS)) < MIN_LETTERS:
        return UNDETERMINED, 0.0
    model = _get_model()
    with _lock:
        text = text[:_PRE_SLICE]
        prepared = None
        if not exact:
            got = model.raw_scores(text)
            if got is None:  # (not read from kept lines: the whole text is prepared)
                prepared = model.prepare(text)
                got = model.scores(prepared)
            fast = _decisive(model, *got)
            if fast is not None:
                return fast
        grams = model.ngrams(model.prepare(text) if prepared is None else prepared)
        ranked = model.probabilities(grams) if grams else []
    if not ranked:
        return UNDETERMINED, 0.0
    lang, prob = ranked[0]
    return lang, round(prob, 3)


FAST_MIN_NGRAMS = 60
FAST_MARGIN = 40.0
FAST_MARGIN_PER_NGRAM = 0.25
FAST_CHUNK_MARGIN = 10.0


def margin(text: str) -> tuple[str, float, int, float]:
    """Fast-path winner, its lead in nats, the n-gram count and the smallest
    lead of that winner within a quarter of the text (negative: a quarter
    prefers another language). For tuning and for the benchmark."""
    model = _get_model()
    with _lock:
        sums, sizes = model.scores(model.prepare(text[:_PRE_SLICE]))
    if sums is None:
        return UNDETERMINED, 0.0, 0, 0.0
    lang, lead, chunk_lead = _leads(model, sums)
    return model.langlist[lang], lead, sum(sizes), chunk_lead


def _leads(model: _Model, sums, total=None) -> tuple[int, float, float]:
    """The leading language of the summed rows ``sums`` (``total``: their sum, if known),
    its lead over the runner-up and its smallest lead within one row."""
    if model.compiled is not None and total is None:
        return model.compiled_leads(sums)[1:]
    np = model.np
    if total is None:
        total = sums.sum(axis=0)
    best = int(total.argmax())  # a tie for the lead is a lead of 0: never decisive
    best_total = total[best]
    total = total.copy()
    total[best] = -np.inf
    lead = float(best_total - total.max())
    column = sums[:, best]  # a view: only the copy below is written
    others = sums.copy()
    others[:, best] = -np.inf
    chunk_lead = float((column - others.max(axis=1)).min())
    return best, lead, chunk_lead


def _decisive(model: _Model, sums, sizes: list[int]) -> tuple[str, float] | None:
    """The fast path's answer from a text's summed rows (:meth:`_Model.scores`), or None
    when it is not clear enough."""
    n = sum(sizes)
    if sums is None or n < FAST_MIN_NGRAMS:
        return None
    if model.compiled is not None:
        total, best, lead, chunk_lead = model.compiled_leads(sums)
    else:
        total = sums.sum(axis=0)
        best, lead, chunk_lead = _leads(model, sums, total)
    if lead < FAST_MARGIN or lead < FAST_MARGIN_PER_NGRAM * n or chunk_lead < FAST_CHUNK_MARGIN:
        return None
    posterior = 1.0 / float(model.np.exp(total - total[best]).sum())
    return model.langlist[best], round(posterior, 3)


class ParagraphLanguage(NamedTuple):
    """Language of ``text[start:end]`` (one paragraph)."""

    start: int
    end: int
    language: str
    confidence: float


def detect_paragraphs(text: str, *, default: str = UNDETERMINED) -> Iterator[ParagraphLanguage]:
    """One language per paragraph (blocks separated by blank lines).

    Paragraphs too short to decide (menus, bylines) get ``default`` with
    confidence 0.0: pass the document's language to let them inherit it.

    >>> text = ("Inicio · Noticias · Deportes · Opinión · Contacto\\n\\nBy AP\\n\\n"
    ...         "The council approved the new budget on Tuesday after a long debate about schools.")
    >>> [p.language for p in detect_paragraphs(text, default="en")]
    ['es', 'en', 'en']
    """
    for m in _PARAGRAPH.finditer(text):
        lang, conf = detect(m.group())
        if lang == UNDETERMINED:
            lang, conf = default, 0.0
        yield ParagraphLanguage(m.start(), m.end(), lang, conf)
