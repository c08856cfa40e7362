"""Reading input: bytes to text, with the encoding used recorded.

Order of attempts, first that works wins:

1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE): ``encoding_source="bom"``;
2. strict UTF-8 (ASCII is UTF-8): ``"utf-8"``;
3. a charset detector (charset-normalizer) on the first 200 kB, decoded
   strictly: ``"detector"``. Latin-script text it calls ASCII or UTF-8 (it
   cannot be: strict UTF-8 failed) is read as cp1252, the superset of
   latin-1's printable range that Windows and most web pages mean by "latin-1";
   Bytes that are almost all valid UTF-8 (a truncated or damaged file) are
   read as UTF-8 with the bad bytes replaced: ``"utf-8-damaged"``. The
   detector's candidate competes with cp1252 and latin-1 (which decodes any
   byte; C1 controls it yields are then repaired by the ``encoding`` filter);
4. otherwise the chosen code page with each undecodable byte replaced by
   U+FFFD: ``"fallback"``.

Never raises on any input. When bytes had to be replaced,
``undecodable_bytes`` (a count) and ``undecodable_at`` (the first few text
offsets of U+FFFD inserted) say so, so a reviewer can find them.

Mojibake *inside* correctly decoded text (a UTF-8 file whose text was already
garbled before it was saved) is not this module's business: the ``encoding``
filter repairs it, with a change log.

>>> decode("café".encode("cp1252"))[1]["encoding"]
'cp1252'
>>> decode(b"\\xff\\xfeh\\x00i\\x00")
('hi', {'encoding': 'utf-16-le', 'encoding_source': 'bom'})
"""

from __future__ import annotations

import codecs
import re
import threading

__all__ = ["decode", "read_file"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_REPLACEMENT = re.compile("\ufffd")
_DETECT_BYTES = 200_000
_MAX_OFFSETS = 10
_LATIN_DEFAULT = "cp1252"


def decode(data: bytes) -> tuple[str, dict]:
    """Decode bytes: BOM, then strict UTF-8, then a charset detector, then
    replacement. Returns the text and metadata: ``encoding``,
    ``encoding_source`` and, when some bytes could not be decoded,
    ``undecodable_bytes`` and ``undecodable_at``.
    """
    data = bytes(data)
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return _lenient(data[len(bom):], enc, "bom")
    enc = _utf16_without_bom(data)
    if enc:
        try:
            return data.decode(enc), {"encoding": enc, "encoding_source": "nul-pattern"}
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), {"encoding": "utf-8", "encoding_source": "utf-8"}
    except UnicodeDecodeError:
        pass
    text, info = _lenient(data, "utf-8", "utf-8-damaged")
    good = sum(1 for ch in text if ch > "\x7f") - info["undecodable_bytes"]
    if good >= 4 * info["undecodable_bytes"]:
        return text, info  # UTF-8 with a few damaged bytes, not another code page
    enc = _detect(data)
    try:
        return data.decode(enc), {"encoding": enc, "encoding_source": "detector"}
    except (UnicodeDecodeError, LookupError):
        pass
    try:
        codecs.lookup(enc)
    except LookupError:
        enc = "utf-8"
    return _lenient(data, enc, "fallback")


_local = threading.local()


def _count_and_replace(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: one U+FFFD per undecodable byte, remembered for the report."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    _local.bad.append((exc.start, exc.end))
    return "\ufffd" * (exc.end - exc.start), exc.end


codecs.register_error("cleanarticle.count", _count_and_replace)


def _lenient(data: bytes, enc: str, source: str) -> tuple[str, dict]:
    """Decode with every undecodable byte replaced by U+FFFD, counting them."""
    _local.bad = []
    text = data.decode(enc, errors="cleanarticle.count")
    bad, _local.bad = _local.bad, []
    info: dict = {"encoding": enc, "encoding_source": source}
    if bad:
        info["undecodable_bytes"] = sum(e - s for s, e in bad)
        offsets = [m.start() for _, m in zip(range(_MAX_OFFSETS), _REPLACEMENT.finditer(text))]
        info["undecodable_at"] = offsets
    return text, info


def _utf16_without_bom(data: bytes, sample: int = 4096) -> str | None:
    """``utf-16-le``/``-be`` for BOM-less UTF-16 of mostly Latin text: NUL bytes in
    most code units' high byte and almost never in the low one. Such bytes are valid
    UTF-8 too (full of NULs), which is why this is checked first.

    >>> _utf16_without_bom("Hello world".encode("utf-16-le"))
    'utf-16-le'
    >>> _utf16_without_bom(b"Hello\\x00world") is None
    True
    """
    head = data[:sample - sample % 2]
    units = len(head) // 2
    if units < 2 or len(data) % 2:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd >= units * 0.6 and even <= units * 0.05:
        return "utf-16-le"
    if even >= units * 0.6 and odd <= units * 0.05:
        return "utf-16-be"
    return None


_WORDISH = r"[^\W\d_]"
# what a wrong Latin-1/cp1252 reading of another code page looks like
_IMPLAUSIBLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f]"                    # control characters
    "|[A-Za-z\u00c0-\u024f][\u0370-\u04ff]|[\u0370-\u04ff][A-Za-z\u00c0-\u024f]"  # mixed-script words
    "|[\u00c0-\u00ff]{3,}"                             # runs of accented letters (Cyrillic, Greek bytes)
    f"|(?<={_WORDISH})[\u00a1-\u00bf](?={_WORDISH})"  # symbols inside words (Central European bytes)
)


def _detect(data: bytes) -> str:
    """The most plausible single-byte (or CJK) code page: cp1252, or the detector's choice.

    charset-normalizer often names a neighbour of cp1252 (cp1250, cp1125)
    for Western European text, which would turn ``è`` into ``č``. So cp1252
    competes with the detector's guess: the reading with fewer implausible
    character sequences wins, cp1252 on a tie.
    """
    sample = data[:_DETECT_BYTES]
    candidates = [_LATIN_DEFAULT, "latin-1"]
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(sample).best()
        if best is not None and best.encoding not in ("ascii", "utf_8"):
            name = codecs.lookup(best.encoding).name
            wide = name.startswith(("utf-16", "utf-32"))
            if wide and sample.count(0) * 4 < len(sample):
                pass  # UTF-16/32 without a BOM and without NUL bytes: a misdetection
            elif name not in candidates:
                candidates.append(name)
    except ImportError:  # pragma: no cover - a declared dependency
        pass
    scored = []
    for rank, enc in enumerate(candidates):
        try:
            text = sample.decode(enc, errors="ignore" if len(data) > _DETECT_BYTES else "strict")
        except UnicodeDecodeError:
            continue
        scored.append((len(_IMPLAUSIBLE.findall(text)), rank, enc))
    if not scored:
        return candidates[-1]
    return min(scored)[2]


def read_file(path: str) -> tuple[str, dict]:
    """Read and :func:`decode` a file; ``source`` is added to the metadata."""
    with open(path, "rb") as fh:
        text, info = decode(fh.read())
    info["source"] = path
    return text, info
