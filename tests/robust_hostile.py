"""Hostile inputs and the checks every pipeline must pass on them (shared by the robustness tests).

Nothing here knows which filters exist: the pipelines come from ``cleanarticle.filters.REGISTRY``,
so filters merged later are covered automatically.
"""

from __future__ import annotations

import functools
import json
import struct
import zlib

from cleanarticle import Pipeline, changes_from_jsonl, changes_to_jsonl, restore
from cleanarticle.filters import REGISTRY, default_names
from cleanarticle.filters.whitespace import BREAKS, INVISIBLE, SPACES


def pipelines() -> dict[str, list[str]]:
    """Every pipeline worth attacking: the default one, all filters, and each filter alone."""
    out = {"default": default_names(), "all": [s.name for s in REGISTRY]}
    for spec in REGISTRY:
        out[f"only-{spec.name}"] = [spec.name]
    return out


# --- text inputs (str) -----------------------------------------------------------------------

ZWJ_FAMILY = "\U0001F468\u200d\U0001F469\u200d\U0001F467\u200d\U0001F466"
EMOJI = (f"{ZWJ_FAMILY} family, \U0001F469\U0001F3FD\u200d\U0001F4BB coder, \U0001F1FA\U0001F1E6 flag, "
         "\U0001F3F3\ufe0f\u200d\U0001F308 rainbow, keycap 1\ufe0f\u20e3, \u2764\ufe0f heart.")

TEXTS: dict[str, str] = {
    "empty": "",
    "one-space": " ",
    "one-newline": "\n",
    "whitespace-only": " \t\n\r\n\u00a0\u2028\u3000\u200b\ufeff\x0b\x0c\u2029  \n\n",
    "nul-bytes": "Hello\x00 world\x00\x00.\n\x00\n",
    "control-chars": "".join(chr(c) for c in range(32)) + "text\x7f\x80\x9f end",
    "crlf": "Line one.\r\nLine two.\r\n\r\nNew paragraph.\r\n",
    "lone-cr": "Old Mac text.\rSecond line.\r\rNew paragraph.\r",
    "mixed-line-ends": "a\r\nb\rc\nd\r\n\re\n\r\n\rf\u2028g\u2029h\x85i",
    "rtl-arabic": "\u0627\u0644\u0633\u0644\u0627\u0645 \u0639\u0644\u064a\u0643\u0645\u060c "
                  "\u0647\u0630\u0627 \u0646\u0635 \u0639\u0631\u0628\u064a.\n\n\u200f(\u0661\u0662\u0663)\u200e",
    "rtl-hebrew-bidi": "\u05e9\u05dc\u05d5\u05dd \u202bembedded\u202c \u2067isolate\u2069 "
                       "\u202e\u05e2\u05d5\u05dc\u05dd\u202c override.",
    "combining-stack": "Z" + "\u0301\u0302\u0303\u0304\u0308\u030a" * 200 + "algo e\u0301 n\u0303 \u1e9b\u0323.",
    "zalgo-unordered": "a" + "\u0345\u0301\u0316\u0334" * 5_000 + " b\u0301\u0316.",
    "decomposed-hangul": "\u1100\u1161\u11a8 \u1112\u1161\u11ab\u1100\u1173\u11af",
    "emoji-zwj": EMOJI,
    "lone-surrogates": "broken \ud800 pair \udfff here \udbff\udc00 ok",
    "noncharacters": "a\ufffe b\uffff c\U0010ffff d\ue000 e\ufffd.",
    "long-word": "x" * 100_000,
    "long-line-no-break": ("word " * 40_000).strip(),
    "many-short-lines": "a\n" * 20_000,
    "many-blank-lines": "\n" * 20_000 + "text" + "\n" * 20_000,
    "only-punctuation": "!?.,;:" * 10_000,
    "only-capitals": "ABCDEFGHIJ " * 10_000,
    "only-digits": "0123456789" * 10_000,
    "dots-and-spaces": ". " * 20_000 + "." * 20_000,
    "html-like": "<p>Hello</p><script>alert(1)</script>&amp;&#x41;&#0;&#xD800;&#99999999;" * 200,
    "json-like": '{"text": "not really", "x": [1, 2, {"y": null}]}\n' * 200,
    "mojibake": "CafÃ© â€œquotedâ€\x9d â€™s Ã¼ber Ã\xa0 naÃ¯ve",
}


# --- byte inputs (files, stdin, clean(bytes)) ------------------------------------------------

def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + bytes((x * 7 + y) % 256 for x in range(64)) for y in range(64))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 64, 64, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _zip() -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("article.txt", "Inside a zip " * 500)
    return buf.getvalue()


def _pdf() -> bytes:
    stream = zlib.compress(b"BT /F1 12 Tf 72 712 Td (Hello PDF) Tj ET" * 50)
    head = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length " + str(len(stream)).encode()
    return (head + b" /Filter /FlateDecode >>\nstream\n" + stream + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")


ENGLISH = "The quick brown fox jumps over the lazy dog near the river bank. " * 20

BYTES: dict[str, bytes] = {
    "png": _png(),
    "zip": _zip(),
    "pdf": _pdf(),
    "random-binary": bytes((i * 2654435761 >> 13) & 0xFF for i in range(50_000)),
    "nul-bytes": b"Hello\x00world\x00\x00 and more\x00",
    "invalid-utf8": b"Valid start \xff\xfe\xfd bad \xc3\x28 \xa0\xa1 \xe2\x28\xa1 \xf0\x28\x8c\xbc end",
    "truncated-utf8": "Caf\u00e9 na\u00efve \u20ac".encode("utf-8")[:-1],
    "overlong-utf8": b"slash \xc0\xaf and nul \xc0\x80 done",
    "utf8-surrogates": b"surrogate \xed\xa0\x80\xed\xb0\x80 inside",
    "utf16-le-no-bom": ENGLISH.encode("utf-16-le"),
    "utf16-be-no-bom": ENGLISH.encode("utf-16-be"),
    "utf16-le-bom": "\ufeff".encode("utf-16-le") + ENGLISH.encode("utf-16-le"),
    "utf32-le-bom": "\ufeff".encode("utf-32-le") + "Hello wide world.".encode("utf-32-le"),
    "mixed-encodings": ("Caf\u00e9 in UTF-8, ".encode("utf-8") + "caf\u00e9 in cp1252, ".encode("cp1252")
                        + "\u20ac20 in UTF-8 ".encode("utf-8") + "na\u00efve latin-1.".encode("latin-1")),
    "cp1252": ("\u201cSmart quotes\u201d \u2013 caf\u00e9, na\u00efve, \u20ac5. " * 20).encode("cp1252"),
    "crlf-bytes": b"One.\r\nTwo.\r\n\r\nThree.\rFour.\r",
    "bom-only": b"\xef\xbb\xbf",
    "empty": b"",
}


def check_result(x: str, r, *, canonical: bool) -> None:
    """Invariants of any Result for the str input ``x``."""
    assert isinstance(r.text, str)
    assert restore(r.text, r.changes) == x, "the change log does not rebuild the input"
    for c in r.changes:
        assert x[c.start:c.end] == c.before, (c.filter, c.rule, "original offsets are wrong")
        assert r.text[c.out_start:c.out_end] == c.after, (c.filter, c.rule, "output offsets are wrong")
        assert c.rule and c.reason and c.filter, "every change needs a filter, a rule and a reason"
    log = changes_to_jsonl(r.changes)
    check_jsonl(log)
    assert changes_from_jsonl(log) == r.changes
    json.dumps(r.metadata, ensure_ascii=False)  # metadata must be JSON-serialisable
    if canonical:
        check_canonical(r.text)


def check_jsonl(log: str) -> None:
    """Valid JSON Lines once written as UTF-8: one object a line, no stray line breaks."""
    data = log.encode("utf-8", errors="backslashreplace")
    lines = data.split(b"\n")
    assert lines[-1] == b""
    for line in lines[:-1]:
        assert isinstance(json.loads(line.decode("utf-8")), dict)


def check_canonical(t: str) -> None:
    """The canonical text form the whitespace filter guarantees."""
    if not t:
        return
    assert t.endswith("\n") and not t.endswith("\n\n"), "one final newline"
    assert t[0] not in SPACES + BREAKS + INVISIBLE, "no leading whitespace"
    assert "\r" not in t and "\n\n\n" not in t
    assert " \n" not in t and "\n " not in t and "  " not in t


# --- the command line ------------------------------------------------------------------------

def cli(*args, stdin: bytes | None = None, cwd=None, timeout: float = 600, env: dict | None = None):
    """Run the CLI in a subprocess from the source tree (``python -m cleanarticle``)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    full_env = dict(os.environ, PYTHONPATH=str(root), NO_COLOR="1", **(env or {}))
    return subprocess.run([sys.executable, "-m", "cleanarticle", *map(str, args)], input=stdin,
                          capture_output=True, cwd=cwd, env=full_env, timeout=timeout)


def check_clean_stderr(stderr: bytes) -> str:
    """Errors are one clear line each, never a traceback; stderr is valid UTF-8."""
    err = stderr.decode("utf-8")
    assert "Traceback" not in err, err[-3000:]
    return err


@functools.lru_cache(maxsize=None)
def cli_has_option(option: str) -> bool:
    return option in cli("clean", "--help").stdout.decode()


def has_module(name: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(name) is not None
    except ImportError:
        return False
