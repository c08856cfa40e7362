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


def _detect(data: bytes) -> str | None:
    """Best single-byte guess. Text that is plain Latin script gets cp1252 (a
    superset of latin-1's printable range) unless the detector is confident of
    another legacy code page."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - charset_normalizer ships with trafilatura's deps
        return "cp1252"
    best = from_bytes(data[:200_000]).best()
    if best is None:
        return "cp1252"
    enc = best.encoding
    if enc in ("ascii", "utf_8"):
        return "cp1252"
    return enc.replace("_", "-")
