"""Romanize Cyrillic names with the right national system.

Three tables live as data in ``cleanarticle/data/translit/``: Ukrainian (the
national 2010 system), Russian and Belarusian (BGN/PCGN, simplified). Which one
applies is told by script cues in the name itself (:func:`script_of`); letters
no table knows (Serbian, Kazakh...) go through unidecode, the last resort.

>>> romanize("Олег Синєгубов")
('Oleh Syniehubov', 'uk-2010', 'є')
>>> romanize("Гомель", default="be")
('Homyel', 'be-bgn', '')
>>> romanize("Пётр")[0]
'Pyotr'
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["Table", "table", "script_of", "romanize", "SYSTEMS"]

SYSTEMS = {"uk": "uk-2010", "ru": "ru-bgn", "be": "be-bgn"}
_VOWELS = set("аеёиіоуыэюяєї")
_AFTER_VOWEL_TRIGGERS = _VOWELS | set("йъь")
_HUSH = set("жчшщ")
_WORD_BREAKS = set(" -\u2010\u2011")


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    letters: dict[str, str]
    initial: dict[str, str] = field(default_factory=dict)
    final: dict[str, str] = field(default_factory=dict)
    after_vowel: dict[str, str] = field(default_factory=dict)
    after_hush: dict[str, str] = field(default_factory=dict)
    sequences: dict[str, str] = field(default_factory=dict)


@lru_cache(maxsize=None)
def table(name: str) -> Table:
    """Load a romanization table by name (``uk-2010``, ``ru-bgn``, ``be-bgn``), once."""
    path = resources.files("cleanarticle") / "data" / "translit" / f"{name}.toml"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"no romanization table {name!r} in cleanarticle/data/translit/") from None
    return Table(
        name=raw["name"], title=raw.get("title", raw["name"]), letters=raw["letters"],
        initial=raw.get("initial", {}), final=raw.get("final", {}),
        after_vowel=raw.get("after_vowel", {}), after_hush=raw.get("after_hush", {}),
        sequences=raw.get("sequences", {}),
    )


def script_of(text: str, default: str = "ru") -> tuple[str, str]:
    """Which language's system fits ``text``: ``(code, cue)``; ``cue`` is the
    letter(s) that decided, ``""`` when nothing did and ``default`` was used.

    Ukrainian alone has ї, є, ґ; Belarusian alone has ў; Russian alone has ъ
    (where Ukrainian writes an apostrophe).
    і with ы/э/ё is Belarusian, і with и Ukrainian; ы/э/ё with и is Russian.

    >>> script_of("Київ"), script_of("Брэст"), script_of("Подъезд"), script_of("Олег")
    (('uk', 'ї'), ('ru', 'э'), ('ru', 'ъ'), ('ru', ''))
    """
    low = set(text.lower())
    for ch in "їєґ":
        if ch in low:
            return "uk", ch
    if "ў" in low:
        return "be", "ў"
    if "ъ" in low:
        return "ru", "ъ"
    apos = next((ch for ch in "'’ʼ" if ch in low), "")
    if apos and not ({"ы", "э", "ё"} & low):
        return "uk", apos  # Ukrainian marks separation with an apostrophe, Russian with ъ
    hard = next((ch for ch in "ыэё" if ch in low), "")
    if "і" in low:
        if hard:
            return "be", "і+" + hard
        return ("uk", "і+и") if "и" in low else ("uk", "і")
    if hard:
        return "ru", hard
    return default, ""


def _case(src: str, out: str, word_upper: bool) -> str:
    if not out or not src[0].isupper():
        return out
    return out.upper() if word_upper else out[0].upper() + out[1:]


def _word(word: str, t: Table) -> str:
    low = word.lower()
    upper = word.isupper() and len(word) > 1
    out: list[str] = []
    i, n = 0, len(low)
    while i < n:
        ch = low[i]
        if ch in _WORD_BREAKS:
            out.append(word[i])
            i += 1
            continue
        seq = next((s for s in t.sequences if low.startswith(s, i)), None)
        if seq is not None:
            out.append(_case(word[i], t.sequences[seq], upper))
            i += len(seq)
            continue
        fin = next((s for s in t.final if low.startswith(s, i) and (i + len(s) == n or low[i + len(s)] in _WORD_BREAKS)), None)
        if fin is not None:
            out.append(_case(word[i], t.final[fin], upper))
            i += len(fin)
            continue
        prev = low[i - 1] if i else " "
        if (i == 0 or prev in _WORD_BREAKS) and ch in t.initial:
            rep = t.initial[ch]
        elif prev in _AFTER_VOWEL_TRIGGERS and ch in t.after_vowel:
            rep = t.after_vowel[ch]
        elif prev in _HUSH and ch in t.after_hush:
            rep = t.after_hush[ch]
        elif ch in t.letters:
            rep = t.letters[ch]
        else:
            from unidecode import unidecode  # last resort: letters no table knows

            rep = unidecode(ch).lower()
        out.append(_case(word[i], rep, upper))
        i += 1
    return "".join(out)


def romanize(text: str, default: str = "ru") -> tuple[str, str, str]:
    """Romanize a Cyrillic name: ``(latin, system, cue)``."""
    lang, cue = script_of(text, default)
    t = table(SYSTEMS[lang])
    return " ".join(_word(w, t) for w in text.split(" ")), t.name, cue
