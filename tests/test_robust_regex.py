"""No catastrophic backtracking, no quadratic blow-up: cleaning time grows linearly.

Two angles, both generic over whatever filters and patterns exist:

1. every filter of the registry (alone) gets pathological strings of growing size (runs of
   spaces, capitals, punctuation, digits, dots, almost-matches of common rules, very long
   words and lines, many short lines...) and its time growth from n to 4n is checked;
2. every regular expression compiled in a ``cleanarticle`` module (module, class and filter
   attributes, and literal patterns passed to ``re`` functions anywhere in the source) is
   attacked with strings built from its own structure: each unbounded repeat is pumped and
   followed by a character that makes the match fail, the classic backtracking trap.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import cleanarticle
from cleanarticle import Pipeline
from cleanarticle.filters import REGISTRY, create

from robust_growth import measure

try:  # the regex parser moved in Python 3.11
    import re._parser as sre_parse
    from re import _constants as sre_c
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as sre_c
    import sre_parse

# --- 1. filters on pathological text ----------------------------------------------------------


def _cycle(unit: str):
    return lambda n: (unit * (n // len(unit) + 1))[:n]


FAMILIES = {
    "spaces": lambda n: "a" + " " * n + "b",
    "spaces-at-end": lambda n: "a" + " " * n,
    "mixed-whitespace": _cycle(" \t\u00a0\u200b\r\n \u2028\u3000"),
    "blank-lines": lambda n: "a" + "\n" * n + "b",
    "capitals": lambda n: "A" * n,
    "capital-words": _cycle("BREAKING NEWS UPDATE "),
    "title-case": _cycle("Read More About This Story "),
    "punctuation": _cycle("!?,;:-"),
    "dashes": lambda n: "-" * n,
    "quotes": _cycle("\"'\u201c\u201d\u2019"),
    "digits": lambda n: "1" * n,
    "numbers": _cycle("12.4 3,500 1/2 "),
    "dots": lambda n: "." * n,
    "abbreviations": _cycle("U.S. J.K. e.g. Mr. "),
    "glued-sentences": _cycle("city.The "),
    "url-prefixes": _cycle("http://www."),
    "email-like": _cycle("a@b."),
    "entities": _cycle("&amp&#x4"),
    "tags": _cycle("<a <p"),
    "mojibake": _cycle("\u00c3\u00a9\u00e2\u20ac"),
    "long-word": lambda n: "a" * n,
    "long-line": _cycle("word "),
    "short-lines": _cycle("a\n"),
    "short-sentences": _cycle("Yes.\n"),
    "short-paragraphs": _cycle("Hi.\n\n"),
    "doubled-words": _cycle("the "),
    "menu-lines": _cycle("Home\nNews\nSport\n"),
    "combining": lambda n: "e" + "\u0301" * n,
    "combining-unordered": lambda n: "a" + ("\u0301\u0316" * (n // 2 + 1))[:n],  # NFC reorders them
    "combining-classes": _cycle("\u0345\u0301\u031b\u0316\u0334\u05b0"),
    "emoji-zwj": _cycle("\U0001F469\u200d"),
}


def _language(spec) -> str:
    langs = getattr(spec.load(), "languages", None)
    return "en" if not langs or "en" in langs else sorted(langs)[0]


@pytest.mark.parametrize("spec", REGISTRY, ids=lambda s: s.name)
def test_every_filter_is_linear_on_pathological_text(spec):
    pipe = Pipeline.from_names([spec.name])
    meta = {"language": _language(spec)}  # language-scoped filters must run, not be skipped

    def run(s):
        return pipe.run(s, metadata=meta)

    slow = []
    for family, make in FAMILIES.items():
        g = measure(make, run, start=256, limit=100_000)
        if g is not None and not g.ok:
            slow.append(f"{family}: {g}")
    assert not slow, f"{spec.name} is super-linear on:\n" + "\n".join(slow)


def test_default_pipeline_is_linear_on_a_mix_of_everything():
    pipe = Pipeline.default()
    pieces = [make(400) for make in FAMILIES.values()]
    doc = "\n\n".join(pieces) + "\n\n"

    def make(n):
        return (doc * (n // len(doc) + 1))[:n]

    # from one whole copy up: every size holds every kind of piece
    g = measure(make, lambda s: pipe.run(s, metadata={"language": "en"}), start=len(doc), limit=400_000)
    assert g is None or g.ok, str(g)


# --- 2. every compiled pattern, attacked through its own structure -----------------------------

def _modules():
    for info in pkgutil.walk_packages(cleanarticle.__path__, "cleanarticle."):
        if info.name.endswith("__main__"):
            continue
        try:
            yield importlib.import_module(info.name)
        except ImportError:  # an optional extra (e.g. a cluster engine) not installed
            continue


def _patterns_in(obj, where: str, out: dict, depth: int = 0):
    if isinstance(obj, re.Pattern):
        out.setdefault((obj.pattern, obj.flags), (obj, where))
    elif depth < 2 and isinstance(obj, (list, tuple, set, frozenset)):
        for i, x in enumerate(obj):
            _patterns_in(x, f"{where}[{i}]", out, depth + 1)
    elif depth < 2 and isinstance(obj, dict):
        for k, x in obj.items():
            _patterns_in(x, f"{where}[{k!r}]", out, depth + 1)


_RE_FUNCS = {"compile", "search", "match", "fullmatch", "sub", "subn", "split", "findall", "finditer"}


def _flags(node) -> int:
    """``re.I | re.M``-style flag expressions; 0 when not a plain combination of re flags."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "re":
        return int(getattr(re, node.attr, 0))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _flags(node.left) | _flags(node.right)
    return 0


def _literal_patterns(module, out: dict):
    """Literal patterns given to ``re.<func>(...)`` anywhere in a module's source."""
    try:
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    except (OSError, TypeError, SyntaxError):
        return
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in _RE_FUNCS and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "re" and node.args
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            flags = 0
            for kw in node.keywords:
                if kw.arg == "flags":
                    flags = _flags(kw.value)
            if node.func.attr == "compile" and len(node.args) > 1:
                flags = _flags(node.args[1])
            try:
                p = re.compile(node.args[0].value, flags)
            except re.error:
                continue
            _patterns_in(p, f"{module.__name__}:{node.lineno}", out)


def all_patterns() -> dict:
    out: dict = {}
    for m in _modules():
        for name, value in vars(m).items():
            _patterns_in(value, f"{m.__name__}.{name}", out)
            if isinstance(value, type) and value.__module__ == m.__name__:
                for attr, v in vars(value).items():
                    _patterns_in(v, f"{m.__name__}.{name}.{attr}", out)
        _literal_patterns(m, out)
    for spec in REGISTRY:
        try:
            f = create(spec.name)
        except Exception:  # a filter that needs options: its class attributes were scanned
            continue
        for attr, v in vars(f).items() if hasattr(f, "__dict__") else ():
            _patterns_in(v, f"{spec.name} filter .{attr}", out)
    return out


# Patterns that are super-linear in isolation but only ever see bounded input, with the reason.
# Keyed by the pattern text. Keep it empty if you can: prefer a linear pattern.
BOUNDED_BY_CONTEXT: dict[str, str] = {}

_CATEGORY_CHAR = {
    "SPACE": " ", "NOT_SPACE": "a", "DIGIT": "1", "NOT_DIGIT": "a", "WORD": "a", "NOT_WORD": " ",
    "LINEBREAK": "\n", "NOT_LINEBREAK": "a",
}
_CANDIDATES = "aA1 .-_,\n!xZ9é\u00a0\u4e2d/@#"


def _category(code) -> str:
    name = str(code).upper()
    for key in sorted(_CATEGORY_CHAR, key=len, reverse=True):
        if name.endswith(key):
            return _CATEGORY_CHAR[key]
    return "a"


def _class_char(items) -> str:
    """One character the character class ``[...]`` matches."""
    negate = any(op == sre_c.NEGATE for op, _ in items)
    members = [(op, av) for op, av in items if op != sre_c.NEGATE]

    def hit(ch):
        for op, av in members:
            if op == sre_c.LITERAL and ord(ch) == av:
                return True
            if op == sre_c.RANGE and av[0] <= ord(ch) <= av[1]:
                return True
            if op == sre_c.CATEGORY:
                probe = {"SPACE": r"\s", "DIGIT": r"\d", "WORD": r"\w", "LINEBREAK": r"\n"}
                name = str(av).upper()
                for key, rx in probe.items():
                    if name.endswith(key):
                        m = re.fullmatch(rx, ch) is not None
                        if (m and "NOT_" not in name) or (not m and "NOT_" in name):
                            return True
        return False

    if not negate:
        op, av = members[0]
        if op == sre_c.LITERAL:
            return chr(av)
        if op == sre_c.RANGE:
            return chr(av[0])
        if op == sre_c.CATEGORY:
            return _category(av)
        return "a"
    for ch in _CANDIDATES:
        if not hit(ch):
            return ch
    return "\x01"


class _Stop(Exception):
    pass


_REPEAT_OPS = tuple(op for op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, getattr(sre_c, "POSSESSIVE_REPEAT", None))
                    if op is not None)
_NEVER = -(10**9)  # a counter that never reaches a target


def _build(items, target: int, k: int, acc: list, counter: list, stop: bool):
    """A string the parsed pattern matches, with unbounded repeat number ``target`` repeated
    ``k`` times; with ``stop``, only the part up to the end of that repeat."""
    for op, av in items:
        if op == sre_c.LITERAL:
            acc.append(chr(av))
        elif op == sre_c.NOT_LITERAL:
            acc.append("a" if av != ord("a") else "b")
        elif op == sre_c.ANY:
            acc.append("a")
        elif op == sre_c.IN:
            acc.append(_class_char(av))
        elif op == sre_c.CATEGORY:
            acc.append(_category(av))
        elif op in _REPEAT_OPS:
            lo, hi, sub = av
            if hi == sre_c.MAXREPEAT and counter[0] == target:
                counter[0] += 1
                body: list = []  # the pumped repeat; repeats inside it are never targets
                _build(sub, target, k, body, [_NEVER], stop)
                acc.append("".join(body) * k)
                if stop:
                    raise _Stop
                continue
            counter[0] += hi == sre_c.MAXREPEAT
            for i in range(max(lo, 1) if hi else 0):  # count inner repeats once
                _build(sub, target, k, acc, counter if i == 0 else [_NEVER], stop)
        elif op == sre_c.SUBPATTERN:
            _build(av[-1], target, k, acc, counter, stop)
        elif op == getattr(sre_c, "ATOMIC_GROUP", None):
            _build(av, target, k, acc, counter, stop)
        elif op == sre_c.BRANCH:
            _build(av[1][0], target, k, acc, counter, stop)
        # AT, ASSERT, ASSERT_NOT, GROUPREF...: contribute nothing


def _repeats(items) -> int:
    n = 0
    for op, av in items:
        if op in _REPEAT_OPS:
            n += (av[1] == sre_c.MAXREPEAT) + _repeats(av[2])
        elif op == sre_c.SUBPATTERN:
            n += _repeats(av[-1])
        elif op == sre_c.BRANCH:
            n += _repeats(av[1][0])
        elif op == getattr(sre_c, "ATOMIC_GROUP", None):
            n += _repeats(av)
    return n


def attacks(pattern: re.Pattern) -> dict:
    """name -> make(k): pumped strings built from the pattern, plus generic runs."""
    source = pattern.pattern
    if isinstance(source, bytes):
        source = source.decode("latin-1")
    parsed = list(sre_parse.parse(source, pattern.flags & ~re.LOCALE))
    out = {}
    for target in range(min(_repeats(parsed), 6)):
        for stop in (True, False):
            def make(k, target=target, stop=stop):
                acc: list = []
                try:
                    _build(parsed, target, k, acc, [0], stop)
                except _Stop:
                    pass
                return "".join(acc) + "\x00"
            out[f"repeat{target}{'-prefix' if stop else ''}"] = make
    for name in ("spaces", "capitals", "punctuation", "dots", "long-word", "short-lines", "url-prefixes"):
        fam = FAMILIES[name]
        out[name] = lambda n, fam=fam: fam(n) + "\x00"
    return out


def _scan(p: re.Pattern, s: str):
    if isinstance(p.pattern, bytes):
        s = s.encode("utf-8", "surrogatepass")
    for _ in p.finditer(s):
        pass


PATTERNS = all_patterns()


def test_patterns_were_found():
    # the whitespace filter alone compiles several: the scan must see them
    assert any("whitespace" in where for _, where in PATTERNS.values()), sorted(
        w for _, w in PATTERNS.values())


@pytest.mark.parametrize("key", sorted(PATTERNS, key=lambda k: PATTERNS[k][1]),
                         ids=lambda k: PATTERNS[k][1])
def test_every_regex_is_linear_on_its_own_almost_matches(key):
    pattern, where = PATTERNS[key]
    if pattern.pattern in BOUNDED_BY_CONTEXT:
        pytest.skip(BOUNDED_BY_CONTEXT[pattern.pattern])
    slow = []
    for name, make in attacks(pattern).items():
        g = measure(make, lambda s: _scan(pattern, s), start=8, limit=50_000, threshold=0.004)
        if g is not None and not g.ok:
            slow.append(f"{name} ({make(6)[:60]!r}...): {g}")
    assert not slow, f"{where} /{pattern.pattern[:200]}/ is super-linear on:\n" + "\n".join(slow)


# --- the measuring stick itself ------------------------------------------------------------------

def _caught(p: re.Pattern) -> bool:
    for make in attacks(p).values():
        g = measure(make, lambda s: _scan(p, s), start=8, limit=20_000, threshold=0.004)
        if g is not None and not g.ok:
            return True
    return False


@pytest.mark.parametrize("bad", [
    r"\s+$",            # quadratic: every start position re-scans the run
    r"\w+@\w+",         # quadratic on one very long word
    r"[ \t]+(?=\n)",    # quadratic on spaces not followed by a newline
    r"(a+)+b",           # exponential: nested quantifiers
    r"(?:\w+\s?)+$",     # exponential
    r"(x|x)*y",          # exponential: ambiguous alternation
    r"(?>a+)b",          # quadratic still: atomic groups do not stop the retry at each start
])
def test_the_growth_check_catches_known_bad_patterns(bad):
    assert _caught(re.compile(bad)), f"/{bad}/ was not caught"


@pytest.mark.parametrize("good", [
    r"\n{3,}",
    r"\b\w+@\w+",               # a word boundary: only word starts are tried
    r"(?<![ \t])[ \t]+(?=\n)",   # only run starts are tried
    r"[A-Z]{2,}\b",
])
def test_the_growth_check_passes_linear_patterns(good):
    assert not _caught(re.compile(good))
