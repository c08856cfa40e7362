"""Fuzzing with hostile strategies: the pipeline's promises hold for any input.

``test_properties.py`` checks the properties on mixed Unicode text; this module widens the
attack: control characters, lone surrogates, bidi controls, combining-mark storms, emoji
sequences, mojibake, HTML fragments, long runs, every whitespace character, and raw bytes in
any encoding. Every filter of the registry is attacked alone too, and with the document's
language forced to English so that language-scoped filters really run.

Example counts come from the hypothesis profile (``HYPOTHESIS_PROFILE``: ``ci`` runs thousands)
and are capped by a time budget: ``CLEANARTICLE_FUZZ_SECONDS`` (default 60 for the module),
measured on this machine before the tests start, so a slower pipeline gets fewer examples
rather than a CI time-out. ``CLEANARTICLE_FUZZ_EXAMPLES`` overrides the count.
"""

from __future__ import annotations

import os
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleanarticle import Pipeline, changes_to_jsonl
from cleanarticle.filters import REGISTRY
from cleanarticle.filters.whitespace import BREAKS, INVISIBLE, SPACES
from cleanarticle.io import decode

from robust_hostile import TEXTS, check_result

# --- strategies ------------------------------------------------------------------------------

WHITESPACE = list(SPACES + BREAKS + INVISIBLE + "\u3000\u180e\u200c\u200d\u2061")
CONTROLS = [chr(c) for c in range(0x20)] + [chr(c) for c in range(0x7f, 0xa0)]
BIDI = list("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
FRAGMENTS = [
    "\U0001F468\u200d\U0001F469\u200d\U0001F467", "\U0001F44D\U0001F3FD", "\U0001F1EB\U0001F1F7",
    "1\ufe0f\u20e3", "\u0627\u0644\u0639\u0631\u0628\u064a\u0629", "\u05e2\u05d1\u05e8\u05d9\u05ea",
    "\u0928\u092e\u0938\u094d\u0924\u0947", "\u1100\u1161\u11a8", "e\u0301", "A\u030a", "\ufb01",
    "Ã©", "â€™", "â€œ", "Ã¼ber", "Ã\xa0", "\x81\x8d\x8f\x90\x9d", "&amp;", "&#x27;", "&nbsp;", "&#0;",
    "&#xD800;", "<p>", "</div>", "<script>alert(1)</script>", "<!--", "-->", "http://example.com/a?b=c",
    "user@example.com", "U.S.", "12.4", "J.K.", "Mr.", "Kiev", "the the", "city.The", "BREAKING",
    "Read more", "Subscribe now", "\ufffd", "\ufffe", "\uffff", "\U0010ffff", "\ue000",
]
SURROGATES = st.characters(categories=["Cs"])

piece = st.one_of(
    st.text(max_size=20),
    st.text(st.characters(codec="utf-8"), max_size=8),
    st.sampled_from(WHITESPACE),
    st.sampled_from(CONTROLS),
    st.sampled_from(BIDI),
    st.sampled_from(FRAGMENTS),
    SURROGATES,
    st.text(st.characters(categories=["Mn", "Me"]), min_size=1, max_size=30),
    st.text(st.sampled_from(WHITESPACE), min_size=2, max_size=12),
    st.sampled_from(sorted(TEXTS)).map(lambda k: TEXTS[k][:200]),
)
runs = st.tuples(piece, st.integers(2, 300)).map(lambda t: t[0] * t[1])
hostile_text = st.lists(st.one_of(piece, piece, piece, runs), max_size=30).map("".join)

_ENCODINGS = ["utf-8", "utf-16-le", "utf-16-be", "utf-16", "utf-32", "cp1252", "latin-1", "cp1251",
              "shift_jis", "gb18030"]
encoded = st.tuples(hostile_text, st.sampled_from(_ENCODINGS)).map(
    lambda t: t[0].encode(t[1], errors="ignore"))
hostile_bytes = st.one_of(
    st.binary(max_size=400),
    encoded,
    st.tuples(encoded, encoded).map(lambda t: t[0] + t[1]),  # mixed encodings in one file
    st.tuples(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00",
                               b"\x89PNG\r\n\x1a\n", b"%PDF-1.4\n", b"PK\x03\x04"]),
              st.binary(max_size=200)).map(lambda t: t[0] + t[1]),
)

# --- budget ----------------------------------------------------------------------------------

_TARGET = {"ci": 2000, "dev": 200}.get(os.environ.get("HYPOTHESIS_PROFILE", "ci"), 500)
_BUDGET = float(os.environ.get("CLEANARTICLE_FUZZ_SECONDS", "45"))
_PILOT = 60


def _settings(n: int):
    return settings(max_examples=n, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


def fuzz(body, strategy, share: float) -> int:
    """Run ``body`` on examples of ``strategy``: the profile's count, capped so that this test
    takes about ``share`` of the module's time budget on this machine (a pilot run measures the
    cost of one example). Returns the number of examples run."""
    fixed = os.environ.get("CLEANARTICLE_FUZZ_EXAMPLES")
    if fixed:
        _settings(int(fixed))(given(strategy)(body))()
        return int(fixed)
    t0 = time.perf_counter()
    _settings(_PILOT)(given(strategy)(body))()
    per_example = 1.5 * (time.perf_counter() - t0) / _PILOT  # later examples are larger
    rest = min(_TARGET, int(_BUDGET * share / per_example)) - _PILOT
    if rest > 0:
        _settings(rest)(given(strategy)(body))()
    print(f"{body.__name__}: {_PILOT + max(rest, 0)} examples")
    return _PILOT + max(rest, 0)


# --- properties ------------------------------------------------------------------------------

DEFAULT = Pipeline.default()
EN = {"language": "en"}
_PIPELINES_ALONE = [Pipeline.from_names([s.name]) for s in REGISTRY]


def default_pipeline_keeps_every_promise(x):
    for meta in (None, EN):
        # format="text": markup-like text would be extracted as HTML, and the log's original
        # is then the extracted text (HTML-like input is covered in test_robust_inputs)
        r = DEFAULT.run(x, metadata=meta, format="text")  # no exception escapes
        check_result(x, r, canonical=True)  # restore, offsets, rule+reason, JSON Lines
        again = DEFAULT.run(x, metadata=meta, format="text")
        assert again.text == r.text, "deterministic text"
        assert changes_to_jsonl(again.changes) == changes_to_jsonl(r.changes), "deterministic log"
        assert DEFAULT.run(r.text, metadata=meta, format="text").text == r.text, "idempotent"


def every_filter_alone_keeps_the_log_exact(x):
    for pipe in _PIPELINES_ALONE:
        for meta in (None, EN):
            r = pipe.run(x, metadata=meta, format="text")
            check_result(x, r, canonical="whitespace" in pipe.names)


def any_bytes_decode_and_clean(data):
    text, info = decode(data)
    assert info["encoding"]
    text.encode("utf-8")  # decoding never yields lone surrogates
    r = DEFAULT.run(data)
    again = DEFAULT.run(data)
    assert (again.text, again.changes) == (r.text, r.changes)
    r.text.encode("utf-8")
    if "<" not in text:  # plain text (not taken for HTML): the log rebuilds the decoded input
        check_result(text, r, canonical=True)


def test_default_pipeline_keeps_every_promise():
    assert fuzz(default_pipeline_keeps_every_promise, hostile_text, 0.45) >= _PILOT


def test_every_filter_alone_keeps_the_log_exact():
    assert fuzz(every_filter_alone_keeps_the_log_exact, hostile_text, 0.3) >= _PILOT


def test_any_bytes_decode_and_clean():
    assert fuzz(any_bytes_decode_and_clean, hostile_bytes, 0.25) >= _PILOT


# --- the whitespace filter's fast scan finds exactly the runs a naive scan would ---------------

def _naive_space_edits(text: str):
    """Reference: visit EVERY maximal whitespace run (slow: Python work per space)."""
    import re

    from cleanarticle.edits import Edit
    from cleanarticle.filters.whitespace import _run_edit

    n, last_end, out = len(text), -1, []
    for m in re.finditer(f"[{re.escape(SPACES + BREAKS + INVISIBLE)}]+", text):
        last_end = m.end()
        e = _run_edit(m.group(), m.start(), m.end(), n)
        if e is not None:
            out.append(e)
    if n and last_end != n:
        out.append(Edit(n, n, "\n", "final-newline", "text ends with one newline"))
    return out


_ws_text = st.lists(st.one_of(st.sampled_from(WHITESPACE + ["a", "b.", "\n\n", "  "]), piece),
                    max_size=25).map("".join)


def test_whitespace_fast_scan_equals_the_naive_scan():
    from cleanarticle.filters.whitespace import WhitespaceFilter

    f = WhitespaceFilter()

    def same(x):
        fast = sorted(f._spaces(x), key=lambda e: (e.start, e.end))
        assert fast == _naive_space_edits(x)

    fuzz(same, _ws_text, 0.1)


# --- linear-time NFC gives exactly what unicodedata gives ------------------------------------

_marks = st.characters(categories=["Mn", "Mc", "Me"])
_mark_text = st.lists(st.one_of(
    st.text(_marks, max_size=80),
    st.tuples(_marks, _marks, st.integers(17, 40)).map(lambda t: (t[0] + t[1]) * t[2]),
    st.sampled_from(["a", "e", "\u1100", "\u1161", "\u11a8", "\u00e9", "\u0344", "\u0f73", "\u1e69", " ",
                     "\U0001D15E", "\u0958", "\u2126", "\uac00"]),
), max_size=12).map("".join)


def test_linear_nfc_equals_unicodedata():
    import unicodedata

    from cleanarticle.filters.whitespace import nfc

    def same(x):
        assert nfc(x) == unicodedata.normalize("NFC", x)

    fuzz(same, _mark_text, 0.1)
