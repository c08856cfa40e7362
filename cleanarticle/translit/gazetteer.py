"""Gazetteers: entities, their canonical spelling and the variants that map to it.

A gazetteer is a data file, one per region, in ``cleanarticle/data/gazetteer/``
(TOML; a simple TSV is accepted for user files). Each entity has a canonical
form, variants, a kind (``place``/``person``), a country and optional context
exceptions. Person entities may name their surname variants; the given names
that may stand before a surname come from ``given-names.tsv`` (classes of one
name's spellings: Oleh/Oleg, Dmytro/Dmitry/Dimitro...).

Everything a filter needs is compiled once into a :class:`Gazetteer` and cached
per set of files and overrides (see :func:`load`).

>>> g = load()
>>> g.lookup("Kiev").entity.canonical
'Kyiv'
>>> g.lookup("Dimitro Kuleba").entity.canonical
'Dmytro Kuleba'
>>> g.lookup("Peskov").entity.policy
'keep'
"""

from __future__ import annotations

import csv
import re
import sys
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Mapping

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["Entity", "Form", "Gazetteer", "GazetteerError", "load", "norm", "builtin_files",
           "example_files", "given_name_classes"]

KINDS = ("place", "person")
POLICIES = ("standardise", "keep")
_APOS = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2018": "'"})
_SPACES = re.compile(r"\s+")


class GazetteerError(ValueError):
    """A gazetteer file or override is malformed or contradicts another entity."""


@lru_cache(maxsize=1 << 13)
def norm(s: str) -> str:
    """Lookup key of a form: NFC, one space, straight apostrophes, casefolded."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", s).translate(_APOS)).strip().casefold()


@dataclass(frozen=True)
class Entity:
    id: str
    canonical: str
    kind: str
    country: str
    variants: tuple[str, ...] = ()
    policy: str = "standardise"
    reason: str = ""
    exceptions: tuple[str, ...] = ()
    elsewhere: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()
    given: str = ""
    surname: str = ""
    surname_variants: tuple[str, ...] = ()
    given_variants: tuple[str, ...] = ()
    surname_alone: bool = False
    source: str = ""

    @property
    def has_parts(self) -> bool:
        return bool(self.surname)


@dataclass(frozen=True)
class Form:
    """One spelling the matcher knows: which entity, and what kind of mention."""

    text: str
    entity: Entity
    part: str  # "full" (place or whole name) or "surname"

    @property
    def target(self) -> str:
        return self.entity.surname if self.part == "surname" else self.entity.canonical

    @property
    def is_canonical(self) -> bool:
        return self.text == self.target


@dataclass
class Gazetteer:
    entities: dict[str, Entity]
    forms: dict[str, Form]  # norm(form) -> Form; full names and places
    surnames: dict[str, list[Form]]  # norm(surname form) -> forms (several people may share one)
    given_classes: dict[str, frozenset[str]]  # norm(given) -> every spelling of that name
    qualifiers: tuple[str, ...]
    files: tuple[str, ...] = ()
    problems: list[str] = field(default_factory=list)

    def lookup(self, text: str) -> Form | None:
        """The full-name or place form ``text`` is, else a surname form if unambiguous."""
        k = norm(text)
        f = self.forms.get(k)
        if f is not None:
            return f
        fs = self.surnames.get(k)
        if fs and len({x.target for x in fs}) == 1:
            return fs[0]
        return None

    def known(self, text: str) -> bool:
        k = norm(text)
        return k in self.forms or k in self.surnames

    def all_forms(self) -> list[str]:
        """Every spelling to match: full forms and surnames, original case."""
        out = {f.text for f in self.forms.values()}
        for fs in self.surnames.values():
            out.update(f.text for f in fs)
        return sorted(out)

    def given_forms(self, e: Entity) -> list[str]:
        """Spellings of ``e``'s given name that may stand before its surname."""
        names = {e.given, *e.given_variants}
        names.update(self.given_classes.get(norm(e.given), ()))
        return sorted(n for n in names if n)


# ---------------------------------------------------------------- files

def _data_dir():
    return resources.files("cleanarticle") / "data" / "gazetteer"


def builtin_files() -> list[str]:
    """The region files loaded by default (``data/gazetteer/*.toml``), sorted."""
    d = _data_dir()
    return sorted(str(p) for p in d.iterdir() if p.name.endswith(".toml"))


def example_files() -> list[str]:
    """Example gazetteers shipped but not loaded by default (``data/gazetteer/examples``)."""
    d = _data_dir() / "examples"
    return sorted(str(p) for p in d.iterdir() if p.name.endswith((".toml", ".tsv")))


@lru_cache(maxsize=None)
def given_name_classes() -> dict[str, frozenset[str]]:
    """``given-names.tsv``: each line one name's spellings; norm(name) -> the class."""
    out: dict[str, frozenset[str]] = {}
    text = (_data_dir() / "given-names.tsv").read_text(encoding="utf-8")
    for n, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        names = frozenset(x.strip() for x in re.split(r"[\t|]", line) if x.strip())
        for name in names:
            if norm(name) in out:
                raise GazetteerError(f"given-names.tsv line {n}: {name!r} already in another class")
            out[norm(name)] = names
    return out


@lru_cache(maxsize=None)
def _qualifiers() -> tuple[str, ...]:
    text = (_data_dir() / "homonym-qualifiers.txt").read_text(encoding="utf-8")
    return tuple(ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#"))


def _slug(s: str) -> str:
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def _tuple(v, where: str) -> tuple[str, ...]:
    if v is None:
        return ()
    if isinstance(v, str):
        return (v,)
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise GazetteerError(f"{where}: expected a list of strings")
    return tuple(v)


_FIELDS = {"id", "canonical", "kind", "country", "variants", "policy", "reason", "exceptions",
           "elsewhere", "weak", "given", "surname", "surname_variants", "given_variants",
           "surname_alone"}


def _entity(raw: Mapping, defaults: Mapping, where: str) -> Entity:
    kind_reasons = {k: v for k, v in defaults.items() if k.endswith("_reason")}
    d = {**{k: v for k, v in defaults.items() if k not in kind_reasons}, **raw}
    if "reason" not in d and f"{d.get('kind', 'place')}_reason" in kind_reasons:
        d["reason"] = kind_reasons[f"{d.get('kind', 'place')}_reason"]
    unknown = set(d) - _FIELDS
    if unknown:
        raise GazetteerError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    canonical = d.get("canonical")
    if not isinstance(canonical, str) or not canonical.strip():
        raise GazetteerError(f"{where}: an entity needs a canonical form")
    kind = d.get("kind", "place")
    if kind not in KINDS:
        raise GazetteerError(f"{where}: kind must be one of {KINDS}, not {kind!r}")
    policy = d.get("policy", "standardise")
    if policy not in POLICIES:
        raise GazetteerError(f"{where}: policy must be one of {POLICIES}, not {policy!r}")
    given, surname = str(d.get("given", "")), str(d.get("surname", ""))
    if kind == "person" and ("surname_variants" in d or "surname" in d) and not surname:
        given, _, surname = canonical.rpartition(" ")
    if surname and canonical != f"{given} {surname}".strip():
        raise GazetteerError(f"{where}: canonical {canonical!r} is not given + surname")
    return Entity(
        id=str(d.get("id") or _slug(canonical)), canonical=canonical, kind=kind,
        country=str(d.get("country", "")).upper(), variants=_tuple(d.get("variants"), where),
        policy=policy, reason=str(d.get("reason", "")), exceptions=_tuple(d.get("exceptions"), where),
        elsewhere=_tuple(d.get("elsewhere"), where), weak=_tuple(d.get("weak"), where),
        given=given, surname=surname, surname_variants=_tuple(d.get("surname_variants"), where),
        given_variants=_tuple(d.get("given_variants"), where),
        surname_alone=bool(d.get("surname_alone", False)), source=where.split(":")[0],
    )


def _read_toml(path: Path) -> list[Entity]:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise GazetteerError(f"{path.name}: {exc}") from None
    defaults = raw.get("defaults", {})
    ents = raw.get("entity", [])
    if not isinstance(ents, list):
        raise GazetteerError(f"{path.name}: entities are [[entity]] tables")
    return [_entity(e, defaults, f"{path.name}:entity {i + 1}") for i, e in enumerate(ents)]


def _read_tsv(path: Path) -> list[Entity]:
    """Header row with any of the entity fields; list fields separated by ``|``."""
    rows = csv.DictReader(path.read_text(encoding="utf-8").splitlines(), delimiter="\t")
    out = []
    for i, row in enumerate(rows, 2):
        d: dict = {}
        for k, v in row.items():
            if k is None or v is None or v == "":
                continue
            k = k.strip()
            if k in ("variants", "exceptions", "elsewhere", "weak", "surname_variants", "given_variants"):
                d[k] = [x.strip() for x in v.split("|") if x.strip()]
            elif k == "surname_alone":
                d[k] = v.strip().lower() in ("1", "true", "yes")
            else:
                d[k] = v.strip()
        out.append(_entity(d, {}, f"{path.name}:line {i}"))
    return out


def _expand(paths: Iterable[str]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out.extend(sorted(q for q in path.iterdir() if q.suffix in (".toml", ".tsv")))
        elif path.is_file():
            out.append(path)
        else:
            raise GazetteerError(f"gazetteer {p!r}: no such file or directory")
    return out


def read_entities(paths: Iterable[str]) -> list[Entity]:
    """Entities of the files in order; a later entity with an existing id replaces it."""
    by_id: dict[str, Entity] = {}
    for path in _expand(paths):
        for e in (_read_tsv(path) if path.suffix == ".tsv" else _read_toml(path)):
            by_id[e.id] = e
    return list(by_id.values())


# ---------------------------------------------------------------- overrides

def _find(entities: dict[str, Entity], key: str) -> Entity:
    k = norm(key)
    for e in entities.values():
        if k == e.id or k in {norm(x) for x in (e.canonical, *e.variants, e.surname, *e.surname_variants) if x}:
            return e
    raise GazetteerError(f"override {key!r}: no entity has this id or spelling")


def _prefer(e: Entity, spelling: str) -> Entity:
    """``e`` with ``spelling`` as its canonical form; the old one becomes a variant."""
    if norm(spelling) == norm(e.canonical):
        return replace(e, canonical=spelling) if e.has_parts is False else e
    variants = tuple(v for v in (*e.variants, e.canonical) if norm(v) != norm(spelling))
    if not e.has_parts:
        return replace(e, canonical=spelling, variants=variants, policy="standardise",
                       reason=f"spelling chosen by the user ({spelling})")
    given, _, surname = spelling.rpartition(" ")
    if not given:
        raise GazetteerError(f"prefer {spelling!r}: a person's spelling needs given name and surname")
    sv = tuple(v for v in (*e.surname_variants, e.surname) if norm(v) != norm(surname))
    gv = tuple(v for v in (*e.given_variants, e.given) if norm(v) != norm(given))
    return replace(e, canonical=spelling, variants=variants, given=given, surname=surname,
                   surname_variants=sv, given_variants=gv, policy="standardise",
                   reason=f"spelling chosen by the user ({spelling})")


def apply_overrides(entities: list[Entity], prefer: Mapping[str, str], keep: Iterable[str]) -> list[Entity]:
    by_id = {e.id: e for e in entities}
    for key, spelling in sorted(prefer.items()):
        e = _find(by_id, key)
        by_id[e.id] = _prefer(e, spelling)
    for key in sorted(keep):
        countries = [e for e in by_id.values() if e.country == key.upper()] if len(key) == 2 and key.isalpha() and key.isupper() else []
        for e in countries or [_find(by_id, key)]:
            by_id[e.id] = replace(e, policy="keep")
    return list(by_id.values())


# ---------------------------------------------------------------- build

def build(entities: list[Entity], files: tuple[str, ...] = ()) -> Gazetteer:
    """Index every spelling; raise :class:`GazetteerError` on a form claimed twice."""
    classes = given_name_classes()
    g = Gazetteer({}, {}, {}, classes, _qualifiers(), files)
    owner: dict[str, Entity] = {}

    def claim(text: str, e: Entity, part: str) -> None:
        k = norm(text)
        if part == "surname":
            other = [f for f in g.surnames.get(k, []) if f.entity.id != e.id]
            clash = owner.get(k) if k in g.forms else None
            if clash is not None:
                raise GazetteerError(f"{text!r} is a surname of {e.id!r} and a form of {clash.id!r}")
            if other and any(f.target != e.surname for f in other):
                # shared surname spelling with different targets: never used alone
                g.problems.append(f"surname {text!r} shared by {e.id!r} and {other[0].entity.id!r}")
            if not any(f.entity.id == e.id for f in g.surnames.get(k, [])):
                g.surnames.setdefault(k, []).append(Form(text, e, part))
            return
        prev = owner.get(k)
        if prev is not None and prev.id != e.id:
            raise GazetteerError(f"{text!r} maps to two entities: {prev.id!r} ({prev.source}) "
                                 f"and {e.id!r} ({e.source})")
        if k in g.surnames:
            raise GazetteerError(f"{text!r} is a form of {e.id!r} and a surname of "
                                 f"{g.surnames[k][0].entity.id!r}")
        owner[k] = e
        if k not in g.forms or text == (e.canonical if part == "full" else e.surname):
            g.forms[k] = Form(text, e, part)

    for e in entities:
        if e.id in g.entities:
            raise GazetteerError(f"entity id {e.id!r} used twice")
        g.entities[e.id] = e
    # canonical forms first so that a canonical form can never be another's variant
    for e in entities:
        claim(e.canonical, e, "full")
    for e in entities:
        for v in e.variants:
            claim(v, e, "full")
        if e.has_parts:
            for gv in g.given_forms(e):
                for sv in (e.surname, *e.surname_variants):
                    name = f"{gv} {sv}"
                    if norm(name) != norm(e.canonical) and norm(name) not in {norm(v) for v in e.variants}:
                        claim(name, e, "full")
    for e in entities:
        if e.has_parts:
            for sv in (e.surname, *e.surname_variants):
                claim(sv, e, "surname")
    return g


@lru_cache(maxsize=32)
def _load_cached(files: tuple[str, ...], prefer: tuple[tuple[str, str], ...],
                 keep: tuple[str, ...]) -> Gazetteer:
    entities = read_entities(files)
    entities = apply_overrides(entities, dict(prefer), keep)
    return build(entities, files)


def load(extra: Iterable[str] = (), *, builtin: bool = True, prefer: Mapping[str, str] | None = None,
         keep: Iterable[str] = ()) -> Gazetteer:
    """The built-in region files (unless ``builtin=False``) plus ``extra`` files or
    directories, with ``prefer`` (entity id or spelling -> chosen spelling) and
    ``keep`` (country codes or entities to leave alone) applied. Cached."""
    files = tuple(builtin_files() if builtin else ()) + tuple(str(Path(p)) for p in extra)
    return _load_cached(files, tuple(sorted((prefer or {}).items())), tuple(sorted(keep)))
