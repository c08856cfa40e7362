"""HTML input: detection, charset sniffing, main-text extraction and page metadata.

An HTML document goes through three steps before the text filters see it:

1. **bytes to text** (:func:`decode_html`): a byte-order mark, else the page's
   own ``<meta charset>`` / ``http-equiv`` declaration, else
   :func:`cleanarticle.io.decode` (strict UTF-8, a detector, UTF-8 with
   replacement). ``metadata["encoding_source"]`` says which one decided.
2. **extraction** (:func:`extract`): trafilatura finds the main content
   (comments off, precision-leaning, no deduplication, so one page's result
   never depends on another). Every block it keeps (paragraph, heading, list,
   table, quote) becomes a paragraph of the extracted text, one blank line
   apart; list items and table rows keep their own lines. This text is the
   change log's *original*: the log explains every edit made after extraction.
3. **page-aware edits** (:func:`page_edits`): things extraction leaves behind
   that only the HTML can prove, proposed as ordinary edits of filter
   ``html``: the page's headline repeated near the top (rule
   ``title-repeat``; the title is in ``metadata["title"]``), lines that are
   nearly all the text of links to other pages of the site (``link-line``:
   related articles, "Read more: ..." teasers), link boxes set inside a
   paragraph (``link-box``: pop-up cards after a name) and lines that repeat
   an image's alt text (``image-caption``).

Page metadata (title, author, date, sitename, url, description, page
language) comes from the ``<head>`` (meta tags, JSON-LD, ``<link
rel=canonical>``): cheap and deterministic. ``metadata="full"`` asks
trafilatura's own metadata extractor instead (better on odd pages, about
15 ms more per page).

>>> looks_like_html("<!DOCTYPE html><html><body><p>Hi</p></body></html>")
True
>>> looks_like_html("A plain sentence about <p> tags.")
False
"""

from __future__ import annotations

import codecs
import functools
import json
import re
import signal
import threading
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, TypeVar

from .edits import Edit

__all__ = [
    "looks_like_html", "decode_html", "extract", "Extraction", "page_edits",
    "call_with_timeout", "DEFAULT_MAX_BYTES", "DEFAULT_TIMEOUT", "TRAFILATURA_OPTIONS",
]

DEFAULT_MAX_BYTES = 20_000_000  # trafilatura's own ceiling (MAX_FILE_SIZE)
DEFAULT_TIMEOUT = 60.0  # seconds per HTML document

# The trafilatura options we use (measured on the extraction benchmark: comments
# are never article text there, and precision mode drops teasers and widgets).
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "include_comments": False,
    "favor_precision": True,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "include_formatting": False,
    "deduplicate": False,
}

# ---------------------------------------------------------------------------
# detection

_SNIFF = 4096
_LEADING = re.compile(r"\A(?:\ufeff)?(?:\s|<!--.{0,2000}?-->)*", re.S)
_DOC_START = re.compile(r"<(?:!doctype\s+html|html|head|body|\?xml)\b", re.I)
_TAG = re.compile(
    r"<(?:html|head|body|meta|title|div|p|span|a|br|table|tr|td|ul|ol|li|h[1-6]|article|section|"
    r"header|footer|nav|main|script|style|link|img|figure|blockquote|pre|em|strong|b|i)\b[^<>]{0,400}>",
    re.I)
_CLOSE = re.compile(r"</(?:html|head|body|div|p|span|a|table|tr|td|ul|ol|li|h[1-6]|article|section|"
                    r"header|footer|nav|main|script|style|title|figure|blockquote|pre|em|strong|b|i)\s*>",
                    re.I)


def looks_like_html(data: str | bytes) -> bool:
    """Is this an HTML page or fragment rather than plain text?

    Looks at the first 4 KB only: true when, after blanks and comments, the
    input starts with a doctype, or with an ``<html>``/``<head>``/``<body>`` tag
    followed by markup (or with a closing tag further on), or starts with a known tag
    and holds at least three tags, one of them a closing tag. Text that merely
    mentions ``<p>`` or starts by naming ``<html>`` is not HTML.

    >>> looks_like_html(b"<div><p>One</p><p>Two</p></div>")
    True
    >>> looks_like_html("Use <br> for a line break.")
    False
    """
    if isinstance(data, (bytes, bytearray)):
        head = bytes(data[:_SNIFF])
        for bom, enc in _BOMS:
            if head.startswith(bom):
                head = head[len(bom):].decode(enc, errors="replace")
                break
        else:
            head = head.decode("latin-1")
    else:
        head = data[:_SNIFF]
    m = _LEADING.match(head)
    rest = head[m.end():] if m else head
    if not rest.startswith("<"):
        return False
    if _DOC_START.match(rest):
        if rest[1] in "!?":  # a doctype or an XML declaration
            return True
        # <html>/<head>/<body>: a page goes on with markup, or closes a tag somewhere; a
        # text that starts by naming the tag ("<html> is the root element...") does neither
        end = rest.find(">")
        if end < 0:
            return True
        after = rest[end + 1:]
        after = after[_LEADING.match(after).end():]
        return not after or after.startswith("<") or _CLOSE.search(rest) is not None
    if not _TAG.match(rest):
        return False
    return len(_TAG.findall(rest)) >= 3 and _CLOSE.search(rest) is not None


# ---------------------------------------------------------------------------
# bytes to text

from .io import _BOMS  # noqa: E402  (one table of byte-order marks for the package)
_META_SCAN = 8192
_META = re.compile(rb"<meta\b[^<>]{0,1000}?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]{1,40})", re.I)
# the WHATWG encoding standard's reading of some labels: browsers decode these
# as the superset, and so do we
_LABEL_SUPERSET = {
    "iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "iso8859-1": "cp1252",
    "us-ascii": "cp1252", "ascii": "cp1252", "iso-8859-9": "cp1254", "latin5": "cp1254",
    "iso-8859-11": "cp874", "tis-620": "cp874", "gb2312": "gb18030", "gbk": "gb18030",
    "x-sjis": "shift_jis", "ks_c_5601-1987": "cp949", "euc-kr": "cp949",
    # an ASCII-readable page that declares UTF-16 is not UTF-16
    "utf-16": "utf-8", "utf-16le": "utf-8", "utf-16be": "utf-8",
}


def declared_charset(data: bytes) -> str | None:
    """The encoding a page declares in its first 8 KB (``<meta charset>`` or
    ``<meta http-equiv="Content-Type" content="...; charset=...">``), as a
    Python codec name, or ``None`` if absent or unknown.

    >>> declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">')
    'cp1252'
    """
    m = _META.search(data[:_META_SCAN])
    if not m:
        return None
    label = m.group(1).decode("ascii").lower()
    label = _LABEL_SUPERSET.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(data: bytes) -> tuple[str, dict[str, Any]]:
    """Decode HTML bytes: BOM, declared charset, then :func:`cleanarticle.io.decode`.

    One exception to the order: bytes that are valid UTF-8 and not pure ASCII
    are read as UTF-8 even when the page declares a legacy charset (a stale
    declaration is common; legacy text is almost never valid UTF-8), with the
    declaration kept as ``declared_encoding``.

    When io.decode had to guess (``encoding_source == "detector"``) and the
    page declares its language, that language's legacy code page is preferred
    if it decodes the bytes (``encoding_hint`` says so; the detector's pick
    is kept as ``detector_encoding``). Never raises. The metadata says the encoding and which step chose it
    (``bom``, ``meta``, or io.decode's ``utf-8``/``detector``/``fallback``);
    ``declared_encoding`` is kept when the page's declaration was wrong.

    >>> decode_html('<meta charset="windows-1252"><p>caf\\xe9</p>'.encode("cp1252"))[1]["encoding_source"]
    'meta'
    """
    from .io import decode

    for bom, enc in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            text = body.decode(enc, errors="replace")
            info: dict[str, Any] = {"encoding": enc, "encoding_source": "bom"}
            bad = text.count("\ufffd") - body.decode(enc, errors="ignore").count("\ufffd")
            if bad:
                info["undecodable_bytes"] = bad
            return text, info
    declared = declared_charset(data)
    if declared and declared != "utf-8" and not data.isascii() and _valid_utf8(data):
        # non-ASCII text that is valid UTF-8 is UTF-8 whatever the page says
        # (legacy text almost never forms valid multi-byte sequences)
        return data.decode("utf-8"), {"encoding": "utf-8", "encoding_source": "utf-8",
                                      "declared_encoding": declared}
    if declared:
        try:
            return data.decode(declared), {"encoding": declared, "encoding_source": "meta"}
        except UnicodeDecodeError:
            pass  # the declaration is wrong: let the detector decide
    text, info = decode(data)
    if info.get("encoding_source") == "detector":
        hinted = _language_codepage(data)
        if hinted and hinted != info.get("encoding"):
            try:
                text = data.decode(hinted)
            except UnicodeDecodeError:
                pass
            else:
                info = {"encoding": hinted, "encoding_source": "detector",
                        "encoding_hint": "page language", "detector_encoding": info.get("encoding")}
    if declared:
        info["declared_encoding"] = declared
    return text, info


def _valid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


_HTML_LANG = re.compile(rb"<html\b[^<>]{0,1000}?\blang\s*=\s*[\"']?\s*([A-Za-z]{2,3})\b", re.I)


@functools.lru_cache(maxsize=1)
def _codepages() -> dict[str, str]:
    from importlib.resources import files

    out = {}
    raw = files("cleanarticle").joinpath("data/html/legacy-encodings.tsv").read_text(encoding="utf-8")
    for line in raw.splitlines():
        if line.strip() and not line.startswith("#"):
            lang, _, cp = line.partition("\t")
            out[lang.strip()] = codecs.lookup(cp.strip()).name
    return out


def _language_codepage(data: bytes) -> str | None:
    """The legacy code page of the language the page declares in ``<html lang>``."""
    m = _HTML_LANG.search(data[:_META_SCAN])
    return _codepages().get(m.group(1).decode("ascii").lower()) if m else None


# ---------------------------------------------------------------------------
# limits


class TimeoutExpired(BaseException):
    """Raised inside a call that ran past its time limit.

    A ``BaseException`` (like ``KeyboardInterrupt``) so that the broad
    ``except Exception`` clauses inside trafilatura do not swallow it.
    """


T = TypeVar("T")


def call_with_timeout(fn: Callable[[], T], seconds: float | None) -> T:
    """Run ``fn()`` and raise :class:`TimeoutExpired` after ``seconds``.

    In the main thread (the CLI, most scripts) a ``SIGALRM`` timer interrupts
    the work itself. Elsewhere (worker threads, or when an alarm is already
    set) ``fn`` runs in a daemon thread that is abandoned at the deadline: the
    caller gets its error on time, the stray work finishes in the background.
    """
    if not seconds or seconds <= 0:
        return fn()
    if (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
            and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)):
        return _alarm_call(fn, seconds)
    return _thread_call(fn, seconds)


def _alarm_call(fn: Callable[[], T], seconds: float) -> T:
    def on_alarm(signum, frame):  # pragma: no cover - timing dependent
        raise TimeoutExpired(f"took longer than {seconds:g} s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return fn()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _thread_call(fn: Callable[[], T], seconds: float) -> T:
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    t = threading.Thread(target=work, name="cleanarticle-document", daemon=True)
    t.start()
    t.join(seconds)
    if t.is_alive():
        raise TimeoutExpired(f"took longer than {seconds:g} s")
    if "error" in box:
        raise box["error"]
    return box["value"]


# ---------------------------------------------------------------------------
# extraction


@dataclass
class Extraction:
    """Extracted text, the page-aware edits proposed on it, and page metadata."""

    text: str
    edits: list[Edit] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)


# boilerplate rules that judge where the article is from the text's layout
# alone (text before/after the body, repeated paragraphs, short lines between
# paragraphs, lists of short lines, timestamps away from the header): on
# extracted HTML the extractor already chose the article with the page's DOM,
# and these rules mostly remove article text it kept (repeated recipe steps,
# tables, embedded posts). The phrase rules (cookie, newsletter, plea,
# share, related-links...) still apply. Measured on the extraction benchmark:
# F1 0.960 with them, 0.978 without.
EXTRACTED_SKIP_RULES = ("duplicate", "link-list", "outside-article", "page-timestamp", "short-fragment")

_FRAGMENT_CHECK = 200
# trafilatura's own "too short, try harder" size (MIN_EXTRACTED_SIZE): below it
# the fast result is checked against the full comparison with other extractors
RESCUE_BELOW = 250


_TITLE_OPEN = re.compile(r"<title\b[^<>]{0,200}>", re.I)
_TITLE_SPAN = 2000


def _parse(html: str):
    from trafilatura.utils import load_html

    if "<html" not in html[:_FRAGMENT_CHECK].lower():
        html = f"<html><body>{html}</body></html>"  # trafilatura rejects bare fragments
    return load_html(_close_title(html))


def _close_title(html: str) -> str:
    """An unclosed ``<title>`` swallows the whole page as its text (the parser
    reads up to ``</title>``): close it at the next tag or line break."""
    m = _TITLE_OPEN.search(html, 0, _META_SCAN * 4)
    if not m or "</title" in html[m.end():m.end() + _TITLE_SPAN].lower():
        return html
    rest = html[m.end():m.end() + _TITLE_SPAN]
    cut = min((i for i in (rest.find("<"), rest.find("\n")) if i >= 0), default=len(rest))
    at = m.end() + cut
    return html[:at] + "</title>" + html[at:]


@functools.lru_cache(maxsize=1)
def _version() -> str:
    try:
        from importlib.metadata import version

        return version("trafilatura")
    except Exception:  # pragma: no cover - installed without metadata
        return "unknown"


def extract(html: str, *, url: str | None = None, comments: bool = False, precision: bool = True,
            tables: bool = True, keep_title: bool = False, link_lines: bool = True,
            captions: bool = True, metadata: str = "basic") -> Extraction:
    """Extract the main text of an HTML page, with page metadata.

    ``comments``, ``precision``, ``tables``: trafilatura's options (include
    the comment section, favour precision, keep tables). ``keep_title``:
    do not propose removing the headline repeated near the top.
    ``link_lines``: propose removing lines that are almost all link text.
    ``captions``: propose removing lines that repeat an image's alt text.
    ``metadata``: ``"basic"`` (head tags and JSON-LD), ``"full"``
    (trafilatura's extractor) or ``"none"``.

    >>> page = ("<html><head><title>Rain - Daily Post</title></head><body><article>"
    ...         "<h1>Rain</h1><p>It rained all day in the valley, and the river rose by a metre "
    ...         "before the evening, the first flood of the year.</p></article></body></html>")
    >>> x = extract(page)
    >>> x.metadata["title"], x.text.splitlines()[0]
    ('Rain', 'Rain')
    >>> [e.rule for e in x.edits]
    ['title-repeat']
    """
    if metadata not in ("basic", "full", "none"):
        raise ValueError("metadata must be 'basic', 'full' or 'none'")
    options = dict(TRAFILATURA_OPTIONS, include_comments=comments, favor_precision=precision,
                   include_tables=tables)
    info: dict[str, Any] = {"engine": "trafilatura", "version": _version(), "options": options,
                            "page_edits": {"keep_title": keep_title, "link_lines": link_lines,
                                           "captions": captions}}
    meta: dict[str, Any] = {"format": "html", "extraction": info,
                            "skip_rules": list(EXTRACTED_SKIP_RULES)}
    tree = _parse(html)
    if tree is None:
        info["method"] = "none"
        info["note"] = "no HTML tree could be parsed"
        return Extraction("", [], meta)
    page = _page_info(tree, url)
    if metadata == "basic":
        meta.update(page.fields)
    elif metadata == "full":
        meta.update(_full_metadata(tree, url))
    text, method, comment_blocks = _main_text(tree, url, options)
    info["method"] = method
    if comment_blocks:
        # the caller asked for the comment section: say which lines it is, so
        # that the boilerplate filter keeps them (see ``keep_lines`` there)
        meta["keep_lines"] = _keep_lines(comment_blocks)
    edits = list(page_edits(text, page, keep_title=keep_title, link_lines=link_lines, captions=captions))
    return Extraction(text, edits, meta)


def _main_text(tree, url: str | None, options: dict[str, Any]) -> tuple[str, str, list[str]]:
    """The text, the method, and the comment section's blocks (only when
    ``include_comments``; they end the text). trafilatura's fast mode first;
    its full mode (with the readability and jusText comparison) only when
    the fast result is short; the baseline extractor when both find nothing."""
    text, comments = _trafilatura_text(tree, url, dict(options, fast=True))
    if len(text) >= RESCUE_BELOW:
        return text, "trafilatura-fast", comments
    full, full_comments = _trafilatura_text(tree, url, dict(options, fast=False))
    if len(full) > len(text):
        return full, "trafilatura-full", full_comments
    if text:
        return text, "trafilatura-fast", comments
    from trafilatura import baseline

    _, text, _ = baseline(tree)
    text = "\n\n".join(ln.strip() for ln in (text or "").split("\n") if ln.strip())
    return text, "baseline", []


def _trafilatura_text(tree, url: str | None, options: dict[str, Any]) -> tuple[str, list[str]]:
    from trafilatura.core import bare_extraction
    from trafilatura.xml import xmltotxt

    doc = bare_extraction(tree, url=url, **options)
    if doc is None or doc.body is None:
        return "", []
    blocks = _blocks(doc.body, xmltotxt)
    comments = []
    if doc.commentsbody is not None and options.get("include_comments"):
        comments = _blocks(doc.commentsbody, xmltotxt)
    return "\n\n".join(blocks + comments), comments


def _keep_lines(blocks: list[str]) -> list[str]:
    """The distinct non-blank lines of ``blocks``, blanks collapsed, in order."""
    seen: dict[str, None] = {}
    for b in blocks:
        for ln in b.split("\n"):
            key = " ".join(ln.split())
            if key:
                seen.setdefault(key, None)
    return list(seen)


def _blocks(body, xmltotxt) -> list[str]:
    """One string per top-level block, in document order, empty ones dropped."""
    out = []
    if body.text and body.text.strip():
        out.append(body.text.strip())
    for child in body:
        tail, child.tail = child.tail, None
        t = xmltotxt(child, False).strip()
        child.tail = tail
        if t:
            out.append(t)
        if tail and tail.strip():
            out.append(tail.strip())
    return out


# ---------------------------------------------------------------------------
# page information: metadata fields, title candidates, link texts

_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
# ``(?<!\s)``: a separator is only tried where a run of blanks starts (a match
# found inside a run also matches from its start), so a long run of blanks
# with no separator after it is scanned once, not once per blank
_TITLE_SEP = re.compile(r"(?<!\s)\s+[|\-\u2013\u2014:\u00b7\u2022\u00bb/]+\s+")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MIN_ANCHOR_WORDS = 2
_MIN_CAPTION_WORDS = 5  # shorter alt texts (a product name) double as headings
_MAX_TITLE = 400
_MIN_YEAR, _MAX_YEAR = 1990, 2100  # placeholders such as 0001-01-01 are not dates
_MAX_ANCHORS = 20_000
_MAX_ANCHORS_PER_WORD = 200  # bounds the work per word of a line
_MAX_JSONLD = 1_000_000


@dataclass
class _Page:
    """What the page-aware edits need: metadata fields, the word sequences of
    title candidates and image alt texts, and link texts by first word."""

    fields: dict[str, Any]
    titles: frozenset[tuple[str, ...]] = frozenset()
    captions: frozenset[tuple[str, ...]] = frozenset()
    anchors: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    boxes: tuple[str, ...] = ()


def _words(s: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(s.lower()))


def _page_info(tree, url: str | None) -> _Page:
    metas: dict[str, str] = {}
    for m in tree.iterfind(".//meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or m.get("http-equiv") or "").strip().lower()
        content = m.get("content")
        if key and content and content.strip() and key not in metas:
            metas[key] = _SPACE.sub(" ", content).strip()
    ld = _json_ld(tree)
    title_el = tree.find(".//title")
    html_title = _SPACE.sub(" ", title_el.text_content()).strip() if title_el is not None else ""
    h1 = tree.find(".//h1")
    h1_text = _SPACE.sub(" ", h1.text_content()).strip() if h1 is not None else ""
    sitename = metas.get("og:site_name") or _ld_name(ld.get("publisher")) or metas.get("application-name") or ""
    title = (metas.get("og:title") or metas.get("twitter:title") or _ld_str(ld.get("headline"))
             or _strip_site(html_title, sitename, h1_text) or h1_text)
    fields: dict[str, Any] = {}
    if len(title) > _MAX_TITLE:
        title = ""
    if title:
        fields["title"] = _strip_site(title, sitename)
    author = (metas.get("author") or metas.get("article:author") or metas.get("byl")
              or metas.get("parsely-author") or metas.get("sailthru.author") or metas.get("dc.creator")
              or _ld_name(ld.get("author")))
    if author and not author.startswith(("http://", "https://")):
        author = re.sub(r"^by\s+", "", author, flags=re.I)
        fields["author"] = author
    date = _first_date(
        metas.get("article:published_time"), _ld_str(ld.get("datePublished")), metas.get("datepublished"),
        metas.get("date"), metas.get("pubdate"), metas.get("publishdate"), metas.get("dc.date.issued"),
        metas.get("dc.date"), metas.get("parsely-pub-date"), metas.get("sailthru.date"),
        metas.get("og:updated_time"), metas.get("article:modified_time"), _time_element(tree))
    if date:
        fields["date"] = date
    if sitename:
        fields["sitename"] = sitename
    canonical = next((ln.get("href") for ln in tree.iterfind(".//link")
                      if (ln.get("rel") or "").lower() == "canonical" and ln.get("href")), None)
    page_url = canonical or metas.get("og:url") or url
    if page_url:
        fields["url"] = page_url.strip()
    description = metas.get("og:description") or metas.get("description")
    if description:
        fields["description"] = description
    lang = tree.get("lang") or tree.get("xml:lang") or metas.get("content-language") or metas.get("og:locale")
    if lang:
        code = re.split(r"[-_,;\s]", lang.strip(), maxsplit=1)[0].lower()
        if 2 <= len(code) <= 3 and code.isalpha():
            fields["page_language"] = code
    anchors, boxes = _links(tree, _site(fields.get("url") or url or ""))
    return _Page(fields, _title_candidates(html_title, title, h1_text, metas), _captions(tree), anchors, boxes)


def _strip_site(title: str, sitename: str, h1: str = "") -> str:
    """Drop a ``| Site Name`` style suffix or prefix from a page title: the
    part that is the page's ``<h1>``, else the parts that are not the site name."""
    parts = _TITLE_SEP.split(title)
    if len(parts) < 2:
        return title
    heading = _words(h1)
    for p in parts:
        if heading and _words(p) == heading:
            return p
    site = _words(sitename)
    if site:
        kept = [p for p in parts if _words(p) != site]
        if len(kept) < len(parts) and kept:
            return " - ".join(kept) if len(kept) > 1 else kept[0]
    return title


def _title_candidates(html_title: str, title: str, h1: str, metas: dict[str, str]) -> frozenset[tuple[str, ...]]:
    cands = {_words(t) for t in (title, h1, metas.get("twitter:title", ""), metas.get("og:title", "")) if t}
    if html_title:
        cands.add(_words(html_title))
        for part in _TITLE_SEP.split(html_title):
            cands.add(_words(part))
    return frozenset(c for c in cands if c)


_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or", "go"})


def _site(url: str) -> str:
    """The registrable part of a URL's host (``bbc.co.uk``, ``thehill.com``), or ''."""
    m = re.match(r"(?i)^(?:[a-z][a-z0-9+.-]*:)?//([^/:?#\s]+)", url.strip())
    if not m:
        return ""
    labels = m.group(1).lower().rstrip(".").split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def _internal(href: str, site: str) -> bool:
    """Does a link point to the same site? Relative links always do; with no
    known site every link counts."""
    if not re.match(r"(?i)^(?:[a-z][a-z0-9+.-]*:)?//", href):
        return not re.match(r"(?i)^[a-z][a-z0-9+.-]*:", href)  # mailto:, javascript:, tel:...
    if not site:
        return True
    other = _site(href)
    return other == site


_BOX_TAGS = frozenset({"span", "div", "aside", "ul", "ol", "li"})
_BOX_DEPTH = 8  # levels between a link and its paragraph
_MIN_BOX_WORDS = 8
_BOX_LINK_SHARE = 0.8
_MAX_BOX_LINKS = 30
_MAX_BOXES = 200
_MAX_BOX_CHARS = 3000


def _links(tree, site: str = "") -> tuple[dict[str, list[tuple[str, ...]]], tuple[str, ...]]:
    """One pass over the links to other pages of the same site: their word
    sequences indexed by first word (for ``link-line``) and the link boxes
    inside paragraphs (for ``link-box``, see :func:`_boxes`)."""
    index: dict[str, list[tuple[str, ...]]] = {}
    seen: set[tuple[str, ...]] = set()
    stats: dict[int, list] = {}  # id -> [element, links, linked words]; keeps the proxies alive
    n = 0
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith("#") or not _internal(href, site):
            continue
        n += 1
        if n > _MAX_ANCHORS:
            break
        words = _words(_text_of(a))
        if len(words) >= _MIN_ANCHOR_WORDS and words not in seen:
            seen.add(words)
            index.setdefault(words[0], []).append(words)
    for a in tree.xpath("//a[@href][ancestor::p]")[:_MAX_ANCHORS]:
        href = (a.get("href") or "").strip()
        if href and not href.startswith("#") and _internal(href, site):
            _count_box_link(a, len(_WORD.findall(_text_of(a))), stats)
    for lst in index.values():
        lst.sort(key=lambda w: (-len(w), w))
        del lst[_MAX_ANCHORS_PER_WORD:]
    return index, _boxes(stats)


def _count_box_link(a, n_words: int, stats: dict[int, list]) -> None:
    """Count a link for each box element between it and its paragraph."""
    chain = []
    el = a.getparent()
    for _ in range(_BOX_DEPTH):
        if el is None or el.tag == "p":
            break
        if el.tag in _BOX_TAGS:
            chain.append(el)
        el = el.getparent()
    if el is None or el.tag != "p":
        return
    for box in chain:
        st = stats.get(id(box))
        if st is None:
            st = stats[id(box)] = [box, 0, 0]
        st[1] += 1
        st[2] += n_words


def _boxes(stats: dict[int, list]) -> tuple[str, ...]:
    """Texts of link boxes inside paragraphs: an element within a ``<p>`` that
    holds two or more links to the same site and is almost all link text
    (pop-up cards that list a person's latest headlines, inline "more on this"
    boxes). Of nested boxes the innermost one that holds (nearly) all of the
    words is kept, so the visible link that opens a card stays in the text.
    Counted from the links upwards (a few levels each), so the work is linear
    in the page whatever its nesting."""
    found: list[tuple[object, int, str]] = []
    for el, links, linked in stats.values():
        if not 2 <= links <= _MAX_BOX_LINKS:
            continue
        text = _text_of(el)
        if len(text) > _MAX_BOX_CHARS:
            continue
        n = len(_WORD.findall(text))
        if n >= _MIN_BOX_WORDS and linked >= _BOX_LINK_SHARE * n:
            found.append((el, n, _SPACE.sub(" ", text).strip()))
    words = {id(el): n for el, n, _ in found}
    outer: set[int] = set()  # boxes with an inner box holding nearly all their words
    for el, n, _ in found:
        parent = el.getparent()
        for _ in range(_BOX_DEPTH):
            if parent is None:
                break
            m = words.get(id(parent))
            if m is not None and n >= 0.9 * m:
                outer.add(id(parent))
            parent = parent.getparent()
    boxes: list[str] = []
    for el, n, text in found:
        if id(el) not in outer and text not in boxes:
            boxes.append(text)
            if len(boxes) >= _MAX_BOXES:
                break
    return tuple(boxes)


def _captions(tree) -> frozenset[tuple[str, ...]]:
    """Word sequences of image alt texts long enough to be captions."""
    out = set()
    for img in tree.iter("img"):
        alt = img.get("alt")
        if alt:
            w = _words(alt)
            if len(w) >= _MIN_CAPTION_WORDS:
                out.add(w)
                if len(out) >= _MAX_ANCHORS:
                    break
    return frozenset(out)


def _text_of(el) -> str:
    from lxml import etree

    return etree.tostring(el, method="text", encoding="unicode", with_tail=False)


def _json_ld(tree) -> dict[str, Any]:
    """The first JSON-LD object that looks like an article (or the first object)."""
    found: list[dict[str, Any]] = []
    for s in tree.iterfind(".//script"):
        if (s.get("type") or "").strip().lower() != "application/ld+json" or not s.text:
            continue
        if len(s.text) > _MAX_JSONLD:
            continue
        try:
            data = json.loads(s.text)
        except ValueError:
            continue
        stack = [data]
        while stack and len(found) < 50:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if "@graph" in item:
                    stack.extend(item["@graph"] if isinstance(item["@graph"], list) else [item["@graph"]])
                found.append(item)
    for item in found:
        kind = item.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if any(isinstance(k, str) and ("Article" in k or k in ("BlogPosting", "Report", "WebPage")) for k in kinds):
            return item
    return found[0] if found else {}


def _ld_str(v: Any) -> str:
    if isinstance(v, list):
        v = v[0] if v else ""
    return _SPACE.sub(" ", v).strip() if isinstance(v, str) else ""


def _ld_name(v: Any) -> str:
    if isinstance(v, list):
        names = [_ld_name(x) for x in v[:10]]
        return "; ".join(n for n in names if n)
    if isinstance(v, dict):
        return _ld_str(v.get("name"))
    return _ld_str(v)


def _first_date(*cands: str | None) -> str | None:
    for c in cands:
        if c:
            m = _ISO_DATE.search(c[:40])
            if m and _MIN_YEAR <= int(m.group(1)) <= _MAX_YEAR and 1 <= int(m.group(2)) <= 12 \
                    and 1 <= int(m.group(3)) <= 31:
                return m.group(0)
    return None


def _time_element(tree) -> str | None:
    t = tree.find(".//time[@datetime]")
    return t.get("datetime") if t is not None else None


def _full_metadata(tree, url: str | None) -> dict[str, Any]:
    from trafilatura.metadata import extract_metadata

    doc = extract_metadata(tree, url)
    out: dict[str, Any] = {}
    for key in ("title", "author", "date", "sitename", "url", "description"):
        v = getattr(doc, key, None)
        if v:
            out[key] = v
    lang = tree.get("lang")
    if lang:
        code = re.split(r"[-_]", lang.strip(), maxsplit=1)[0].lower()
        if 2 <= len(code) <= 3 and code.isalpha():
            out["page_language"] = code
    return out


# ---------------------------------------------------------------------------
# page-aware edits

TITLE_LINES = 3  # the headline is looked for among the first lines only
LINK_LINE_COVERAGE = 0.8  # share of a line's words inside links to other pages
LINK_LINE_MIN_WORDS = 5  # a shorter linked line is as often a heading as a teaser
LINK_LINE_MAX_WORDS = 40
LINK_LINE_ALL_LINK_MAX_WORDS = 120  # a line that is one link from end to end


def page_edits(text: str, page: "_Page", *, keep_title: bool = False,
               link_lines: bool = True, captions: bool = True) -> Iterator[Edit]:
    """Edits on the extracted text that need the page (see the module doc).

    A removed line takes the line break after it with it (the last line: the
    break before it), so no blank-line clean-up is left for later filters.
    """
    lines = _line_spans(text)
    if not lines:
        return
    words = [_words(text[s:e]) for s, e in lines]
    drop: dict[int, tuple[str, str]] = {}
    if not keep_title and page.titles and len(lines) > 1:
        for i in range(min(TITLE_LINES, len(lines) - 1)):
            if words[i] and words[i] in page.titles:
                drop[i] = ("title-repeat", "the page's headline repeated in the text "
                                           "(kept in metadata['title'])")
                break
    for i, w in enumerate(words):
        if i in drop or not w:
            continue
        if captions and w in page.captions:
            drop[i] = ("image-caption", "the text of an image's alt attribute: a caption, not article text")
            continue
        if (link_lines and page.anchors and LINK_LINE_MIN_WORDS <= len(w) <= LINK_LINE_ALL_LINK_MAX_WORDS
                and text.count(" ", *lines[i]) >= 2):  # a bare URL or domain is a citation
            share = _link_share(w, page.anchors)
            if share >= 0.999 or (share >= LINK_LINE_COVERAGE and len(w) <= LINK_LINE_MAX_WORDS):
                drop[i] = ("link-line", f"{share:.0%} of the line is the text of links to other pages "
                                        "of the site (related articles, teasers)")
    if link_lines:
        _list_headings(text, lines, words, drop)
        yield from _box_edits(text, page.boxes, {i for i in drop}, lines)
    last = len(lines) - 1
    for i in sorted(drop):
        s, e = lines[i]
        if i < last:
            e = lines[i + 1][0]
        elif i > 0:
            s = lines[i - 1][1]
        rule, reason = drop[i]
        yield Edit(s, e, "", rule, reason)


LIST_HEADING_MAX_WORDS = 6
_SENTENCE_END = (".", "!", "?", "\u3002")


def _list_headings(text: str, lines: list[tuple[int, int]], words: list[tuple[str, ...]],
                   drop: dict[int, tuple[str, str]]) -> None:
    """A short label right before removed link lines ("More:", "Don't miss")
    is the heading of that link list: it goes with it."""
    for i in range(len(lines) - 1):
        if i in drop or drop.get(i + 1, ("",))[0] != "link-line":
            continue
        line = text[lines[i][0]:lines[i][1]].rstrip()
        if 0 < len(words[i]) <= LIST_HEADING_MAX_WORDS and not line.endswith(_SENTENCE_END):
            drop[i] = ("link-list-heading", "the heading of a list of links removed after it")


def _box_edits(text: str, boxes: tuple[str, ...], dropped: set[int],
               lines: list[tuple[int, int]]) -> Iterator[Edit]:
    """Link boxes found inside a line that has other text (a whole line of
    links is a ``link-line``)."""
    starts = [s for s, _ in lines]
    for box in boxes:
        chunks = box.split(" ")
        if len(chunks) > 400:
            continue
        pattern = re.compile(r"\s*".join(re.escape(c) for c in chunks))
        for m in pattern.finditer(text):
            i = bisect_right(starts, m.start()) - 1
            if i < 0 or i in dropped:
                continue
            s, e = lines[i]
            if m.start() == s and m.end() >= e:
                continue
            yield Edit(m.start(), m.end(), "", "link-box",
                       "links to other pages of the site set inside a paragraph "
                       "(a pop-up card or a link box), not article text")


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    for ln in text.split("\n"):
        if ln.strip():
            spans.append((pos, pos + len(ln)))
        pos += len(ln) + 1
    return spans


def _link_share(words: tuple[str, ...], anchors: dict[str, list[tuple[str, ...]]]) -> float:
    """Share of ``words`` covered by occurrences of link texts."""
    covered = [False] * len(words)
    n = len(words)
    i = 0
    while i < n:
        best = 0
        for a in anchors.get(words[i], ()):
            k = len(a)
            if k <= n - i and words[i:i + k] == a:
                best = k  # lists are sorted longest first
                break
        if best:
            for j in range(i, i + best):
                covered[j] = True
            i += best
        else:
            i += 1
    return sum(covered) / n if n else 0.0
