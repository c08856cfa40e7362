"""Reading input: bytes to text, with the encoding used recorded."""

from __future__ import annotations

import codecs

__all__ = ["decode"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode(data: bytes) -> tuple[str, dict]:
    """Decode bytes: BOM, then strict UTF-8, then a charset detector, then UTF-8
    with replacement. Never raises. Returns the text and metadata saying which
    encoding was used (``encoding``, ``encoding_source``, and
    ``undecodable_bytes`` when some bytes had to be replaced).

    >>> decode("café".encode("cp1252"))[1]["encoding"]
    'cp1252'
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            text = body.decode(enc, errors="replace")
            info = {"encoding": enc, "encoding_source": "bom"}
            bad = text.count("\ufffd") - body.decode(enc, errors="ignore").count("\ufffd")
            if bad:
                info["undecodable_bytes"] = bad
            return text, info
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
    enc = _detect(data)
    if enc:
        try:
            return data.decode(enc), {"encoding": enc, "encoding_source": "detector"}
        except (UnicodeDecodeError, LookupError):
            pass
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    return text, {"encoding": "utf-8", "encoding_source": "fallback", "undecodable_bytes": bad}


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


def _detect(data: bytes) -> str | None:
    """Best single-byte guess. Text that is plain Latin script gets cp1252 (a
    superset of latin-1's printable range) unless the detector is confident of
    another legacy code page."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - charset_normalizer ships with trafilatura's deps
        return "cp1252"
    results = [r for r in from_bytes(data[:200_000]) if not r.encoding.startswith(("utf_16", "utf_32"))]
    if not results:  # UTF-16/32 without a BOM is only trusted from its NUL pattern
        return "cp1252"
    best = results[0]
    tied = [r for r in results if (r.chaos, r.coherence) == (best.chaos, best.coherence)]
    if any("cp1252" in r.could_be_from_charset for r in tied):
        return "cp1252"  # not confident of another code page: the common Western one
    enc = best.encoding
    if enc in ("ascii", "utf_8"):
        return "cp1252"
    return enc.replace("_", "-")
