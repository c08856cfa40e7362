"""HTML input: detection, charsets, extraction, page-aware edits, limits."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from cleanarticle import Pipeline, clean, restore
from cleanarticle import html as H
from cleanarticle.pipeline import DocumentError

DATA = Path(__file__).parent / "data" / "html"
CASES = json.loads((DATA / "cases.json").read_text(encoding="utf-8"))


def page(name: str) -> bytes:
    return (DATA / f"{name}.html").read_bytes()


# --- golden pages -----------------------------------------------------------

@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_page(name):
    r = clean(page(name))
    assert r.text == (DATA / f"{name}.expected.txt").read_text(encoding="utf-8")
    for key, value in CASES[name]["metadata"].items():
        assert r.metadata[key] == value, key
    assert sorted({c.rule for c in r.changes if c.filter == "html"}) == CASES[name]["html_rules"]
    assert r.metadata["format"] == "html"
    assert r.metadata["extraction"]["engine"] == "trafilatura"
    assert r.metadata["extraction"]["version"]


def test_news_page_keeps_article_and_drops_the_rest():
    r = clean(page("news"))
    text = r.text
    # headings and paragraph structure survive
    assert "\n\nHow the work will be paid for\n\n" in text
    assert "- how much noise the piling would make at night;\n" in text
    assert "Patching is no longer enough" in text
    # nav, cookie banner, share tools, related links, comments, footer do not
    for junk in ("cookies", "Accept all", "Sport", "Share on", "Lifeboat crew honoured",
                 "harbourwatcher", "inevitable overspend", "newsletter", "All rights reserved",
                 "Storm damage closes"):
        assert junk not in text, junk
    link = [c for c in r.changes if c.rule == "link-line"]
    assert len(link) == 1 and link[0].before.startswith("Related: Storm damage")
    assert link[0].reason


def test_log_rebuilds_the_extracted_text():
    src = page("blog").decode("utf-8")
    x = H.extract(src)
    r = clean(src)
    assert restore(r.text, r.changes) == x.text
    assert r.restore() == x.text
    removed = {c.rule: c.before for c in r.changes if c.filter == "html"}
    assert removed["title-repeat"] == "Growing tomatoes on a windy balcony\n\n"
    assert removed["link-line"].startswith("Read more: Three cheap wind breaks")


def test_blocks_are_paragraphs():
    x = H.extract(page("news").decode("utf-8"))
    assert "\n\n\n" not in x.text
    assert x.text.count("\n\n") >= 8


# --- detection --------------------------------------------------------------

@pytest.mark.parametrize("data", [
    "<!DOCTYPE html><html><body><p>x</p></body></html>",
    "  \n<html lang='en'><p>x",
    "<!-- saved page --><html><body>x</body></html>",
    "\ufeff<html><body>x</body></html>",
    b"\xef\xbb\xbf<!doctype html><title>x</title>",
    "<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'><body/></html>",
    "<div class='a'><p>One</p><p>Two</p></div>",
    b"<HEAD><TITLE>old page</TITLE></HEAD><BODY>x</BODY>",
    "\ufeff<p>A paragraph.</p><p>Another <b>one</b>.</p>".encode("utf-16"),
    "<body>Hello world</body>",
    "<html>\n  <!-- generated -->\n  <body>x",
])
def test_looks_like_html(data):
    assert H.looks_like_html(data)


@pytest.mark.parametrize("data", [
    "",
    "Plain article text.\n\nSecond paragraph.",
    "Use <br> for a line break and <p> for paragraphs.",
    "<3 this recipe, it is great",
    "<p> on its own is not a page",
    "a < b and c > d",
    b"\x00\x01\x02binary",
    "Tags: <b>bold</b> only",
    "<html> is the root element of a page; <head> and <body> go inside it.",
    "<body> text that names a tag first",
])
def test_does_not_look_like_html(data):
    assert not H.looks_like_html(data)


def test_auto_format_routes_html_and_text():
    assert clean(page("news")).metadata["format"] == "html"
    t = clean("Just a sentence.  Two spaces.")
    assert "format" not in t.metadata and t.text == "Just a sentence. Two spaces.\n"


@pytest.mark.parametrize("data", ["<HTML", "<html", b"<HTML", "<!-- x --><html"])
def test_auto_format_falls_back_to_text_when_no_tree_parses(data):
    # looks like the start of a page, but no HTML tree can be parsed from it: in auto mode
    # the text is cleaned as text (nothing is lost) and the metadata says why
    r = clean(data)
    assert r.text == (data.decode() if isinstance(data, bytes) else data) + "\n"
    assert r.metadata["format"] == "text"
    assert "no HTML tree" in r.metadata["format_note"]
    assert "extraction" not in r.metadata
    # asked for HTML, it stays HTML: the caller is told nothing could be extracted
    h = clean(data, format="html")
    assert h.text == "" and h.metadata["extraction"]["note"] == "no HTML tree could be parsed"


def test_forced_text_format_keeps_markup():
    r = clean(page("broken"), format="text")
    assert "<p>" in r.text and "format" not in r.metadata


def test_forced_html_format_on_a_fragment():
    r = clean("<p>Only a paragraph of text that was copied out of a page, with no html element.</p>",
              format="html")
    assert r.text == "Only a paragraph of text that was copied out of a page, with no html element.\n"


# --- charsets ---------------------------------------------------------------

def test_bom_wins_over_declaration():
    body = '<html><head><meta charset="iso-8859-1"></head><body><p>é</p></body></html>'
    text, info = H.decode_html(b"\xef\xbb\xbf" + body.encode("utf-8"))
    assert info["encoding_source"] == "bom" and "é" in text


def test_meta_charset_and_http_equiv():
    a = '<meta charset="koi8-r"><p>Привет</p>'.encode("koi8-r")
    b = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251"><p>Привет</p>'.encode("cp1251")
    for data, enc in ((a, "koi8-r"), (b, "cp1251")):
        text, info = H.decode_html(data)
        assert "Привет" in text
        assert info == {"encoding": enc, "encoding_source": "meta"}


def test_latin1_label_reads_as_cp1252():
    text, info = H.decode_html('<meta charset="ISO-8859-1"><p>“quoted” – dash</p>'.encode("cp1252"))
    assert info["encoding"] == "cp1252" and "“quoted” – dash" in text


def test_valid_utf8_beats_a_stale_declaration():
    for label in ("iso-8859-1", "shift_jis", "windows-1251"):
        data = f'<meta charset="{label}"><p>naïve café</p>'.encode("utf-8")
        text, info = H.decode_html(data)
        assert "naïve café" in text
        assert info["encoding"] == "utf-8" and info["declared_encoding"] == H.declared_charset(data)


def test_wrong_declaration_that_cannot_decode_goes_to_the_detector():
    data = '<meta charset="ascii"><p>Это текст в кодировке windows-1251, а не ASCII.</p>'.encode("cp1251")
    data = data.replace(b'charset="ascii"', b'charset="utf-8"')
    text, info = H.decode_html(data)
    assert info["encoding_source"] == "detector" and info["declared_encoding"] == "utf-8"
    assert "Это текст" in text


def test_page_language_corrects_the_detector(monkeypatch):
    # detectors confuse neighbouring Latin code pages on short text; when the
    # detector guessed and the page says its language, that language's code page wins
    import cleanarticle.io as io

    data = page("legacy-undeclared")
    monkeypatch.setattr(io, "decode", lambda b: (b.decode("cp1257"), {"encoding": "cp1257",
                                                                      "encoding_source": "detector"}))
    text, info = H.decode_html(data)
    assert info == {"encoding": "cp1252", "encoding_source": "detector",
                    "encoding_hint": "page language", "detector_encoding": "cp1257"}
    assert "La fête du village renaît" in text


def test_page_language_agreeing_with_the_detector_adds_no_hint():
    text, info = H.decode_html(page("legacy-undeclared"))
    assert info == {"encoding": "cp1252", "encoding_source": "detector"}
    assert "La fête du village renaît" in text


def test_unknown_declared_charset_is_ignored():
    text, info = H.decode_html(b'<meta charset="x-no-such-thing"><p>plain</p>')
    assert info["encoding_source"] == "utf-8" and "plain" in text


def test_undecodable_bytes_never_raise():
    data = b'<html><body><p>caf\xe9 \xff\xfe\x80 and more words to read here</p></body></html>'
    r = clean(data, format="html")
    assert r.metadata["encoding_source"] in ("detector", "fallback")
    assert isinstance(r.text, str)


def test_declared_charset_limits():
    assert H.declared_charset(b" " * 9000 + b'<meta charset="koi8-r">') is None
    assert H.declared_charset(b'<meta name="x" content="y">') is None


# --- metadata ---------------------------------------------------------------

def test_caller_metadata_wins_over_the_page():
    r = clean(page("news"), metadata={"url": "https://mirror.example/a", "source": "crawl-7"})
    assert r.metadata["url"] == "https://mirror.example/a"
    assert r.metadata["source"] == "crawl-7"
    assert r.metadata["title"] == "Harbour town votes to rebuild its sea wall"


def test_metadata_from_json_ld_and_title_suffix():
    src = ("<html><head><title>Quiet streets - Town Daily</title>"
           '<script type="application/ld+json">{"@graph":[{"@type":"WebSite","name":"Town Daily"},'
           '{"@type":"NewsArticle","headline":"Quiet streets","datePublished":"2021-03-04",'
           '"author":[{"name":"A. Writer"},{"name":"B. Writer"}],"publisher":{"name":"Town Daily"}}]}</script>'
           "</head><body><article><p>" + "Words in a paragraph. " * 20 + "</p></article></body></html>")
    meta = H.extract(src).metadata
    assert meta["title"] == "Quiet streets"
    assert meta["date"] == "2021-03-04"
    assert meta["author"] == "A. Writer; B. Writer"
    assert meta["sitename"] == "Town Daily"


def test_full_and_no_metadata_modes():
    src = page("news").decode("utf-8")
    full = H.extract(src, metadata="full").metadata
    assert full["title"] == "Harbour town votes to rebuild its sea wall"
    assert full["date"] == "2024-02-11"
    none = H.extract(src, metadata="none").metadata
    assert "title" not in none and none["format"] == "html"
    with pytest.raises(ValueError):
        H.extract(src, metadata="most")


def test_broken_json_ld_is_ignored():
    src = ('<html><head><script type="application/ld+json">{"headline": </script>'
           "<title>T</title></head><body><p>" + "text " * 50 + "</p></body></html>")
    assert H.extract(src).metadata["title"] == "T"


# --- options ----------------------------------------------------------------

def test_keep_title_and_link_lines_options():
    src = page("blog")
    # the options switch off the html step's own edits ...
    r = clean(src, filters=["whitespace"], html={"keep_title": True, "link_lines": False})
    assert r.text.startswith("Growing tomatoes on a windy balcony\n\n")
    assert "Read more: Three cheap wind breaks" in r.text
    assert not [c for c in r.changes if c.filter == "html"]
    # ... not the text filters: the boilerplate filter still removes the teaser, by its own rule
    r = clean(src, html={"keep_title": True, "link_lines": False})
    assert r.text.startswith("Growing tomatoes on a windy balcony\n\n")
    assert not [c for c in r.changes if c.filter == "html"]
    teaser = [c for c in r.changes if c.before.startswith("Read more: Three cheap wind breaks")]
    assert [(c.filter, c.rule) for c in teaser] == [("boilerplate", "related-links")]


COMMENTS = ("3 comments", "harbourwatcher", "About time too, the wall by the slipway",
            "seagull_sam", "the inevitable overspend?", "rower42", "Please keep the club steps!")


def test_comments_option_adds_the_comment_section():
    r = clean(page("news"), html={"comments": True})
    # asked for, the comment section is content: the boilerplate filter keeps it
    for line in COMMENTS:
        assert line in r.text, line
    assert not [c for c in r.changes if c.filter == "boilerplate"]
    assert r.metadata["extraction"]["options"]["include_comments"] is True
    assert r.metadata["keep_lines"][0] == "3 comments"
    assert r.metadata["keep_lines"][-1].startswith("Please keep the club steps!")
    # the article is still cleaned as usual, and without the option no comment survives
    assert "Storm damage closes" not in r.text
    plain = clean(page("news"))
    assert "keep_lines" not in plain.metadata
    assert not [line for line in COMMENTS if line in plain.text]


def test_comment_section_stays_when_cleaned_again_with_its_metadata():
    r = clean(page("news"), html={"comments": True})
    again = clean(r.text, metadata=r.metadata)
    assert again.text == r.text
    # as text alone, nothing says the thread was wanted: it is boilerplate again
    assert "Please keep the club steps!" not in clean(r.text).text


def test_keep_lines_metadata_protects_lines_from_the_boilerplate_filter():
    text = ("The council approved the new budget on Monday after a long debate, and the mayor "
            "said the plan would fund two schools.\n\nShare on Facebook\n\nAdvertisement\n")
    assert "Share on Facebook" not in clean(text).text
    kept = clean(text, metadata={"keep_lines": ["Share  on Facebook", 3]}).text
    assert "Share on Facebook" in kept and "Advertisement" not in kept


def test_bad_options_are_errors():
    with pytest.raises(TypeError):
        clean(page("news"), html={"no_such_option": 1})
    with pytest.raises(ValueError):
        clean("x", format="pdf")
    with pytest.raises(ValueError):
        clean("x", errors="ignore")


# --- page-aware edits on their own -------------------------------------------

def _page(titles=(), captions=(), anchors=()):
    index: dict = {}
    for a in anchors:
        w = H._words(a)
        index.setdefault(w[0], []).append(w)
    return H._Page({}, frozenset(H._words(t) for t in titles), frozenset(H._words(c) for c in captions), index)


def _apply(text, edits):
    for e in sorted(edits, key=lambda e: -e.start):
        text = text[:e.start] + e.replacement + text[e.end:]
    return text


def test_link_line_needs_most_of_the_line_to_be_links():
    text = ("Opening paragraph of the story with enough words.\n\n"
            "See also: Council approves the new bridge over the river\n\n"
            "A real sentence that mentions Council approves the new bridge over the river in passing, "
            "with plenty of other words around it so links are a small share.\n\n"
            "Last paragraph.")
    p = _page(anchors=["Council approves the new bridge over the river"])
    edits = list(H.page_edits(text, p))
    assert [e.rule for e in edits] == ["link-line"]
    assert _apply(text, edits) == ("Opening paragraph of the story with enough words.\n\n"
                                   "A real sentence that mentions Council approves the new bridge over the river "
                                   "in passing, with plenty of other words around it so links are a small share.\n\n"
                                   "Last paragraph.")


def test_short_and_url_lines_are_not_link_lines():
    text = "Intro text here.\n\nHome page\n\nwww.example.org/about/us/page\n\nEnd."
    p = _page(anchors=["Home page", "www.example.org/about/us/page"])
    assert list(H.page_edits(text, p)) == []


def test_external_links_do_not_count():
    src = ('<html><head><link rel="canonical" href="https://news.example.co.uk/a"></head><body>'
           '<a href="https://shop.example.com/x">Buy the kettle at the shop for ten pounds</a>'
           '<a href="/b">Kettle prices rise again this winter says report</a>'
           '<a href="https://www.news.example.co.uk/c">Tea drinkers switch to cheaper brands</a></body></html>')
    p = H._page_info(H._parse(src), None)
    firsts = sorted(p.anchors)
    assert firsts == ["kettle", "tea"]


def test_title_only_near_the_top_and_only_once():
    text = "Lead line one.\n\nLead two.\n\nLead three.\n\nThe Headline\n\nBody.\n\nThe Headline"
    assert list(H.page_edits(text, _page(titles=["The Headline"]))) == []
    text = "Kicker\n\nThe Headline\n\nBody text.\n\nThe Headline again later"
    edits = list(H.page_edits(text, _page(titles=["The Headline"])))
    assert [(e.rule, text[e.start:e.end]) for e in edits] == [("title-repeat", "The Headline\n\n")]


def test_title_alone_is_kept():
    assert list(H.page_edits("The Headline", _page(titles=["The Headline"]))) == []


def test_caption_and_last_line_removal():
    text = "Body paragraph one.\n\nA red kite over the valley at dusk"
    edits = list(H.page_edits(text, _page(captions=["A red kite over the valley at dusk"])))
    assert [e.rule for e in edits] == ["image-caption"]
    assert _apply(text, edits) == "Body paragraph one."
    assert list(H.page_edits(text, _page(captions=["A red kite over the valley at dusk"]), captions=False)) == []


def test_site_of_url():
    assert H._site("https://www.bbc.co.uk/news/x") == "bbc.co.uk"
    assert H._site("//cdn.thehill.com/a") == "thehill.com"
    assert H._site("/relative/path") == ""
    assert H._internal("/relative", "thehill.com")
    assert not H._internal("mailto:a@b.c", "thehill.com")
    assert H._internal("https://thehill.com/x", "thehill.com")
    assert not H._internal("https://amzn.to/x", "thehill.com")


# --- determinism and idempotence ---------------------------------------------

def test_deterministic_and_no_cross_document_state():
    a = page("news")
    first = clean(a)
    for other in ("blog", "broken", "legacy-cp1251"):
        clean(page(other))
    clean(a)  # a duplicate would be dropped if deduplication were on
    again = clean(a)
    assert again.text == first.text
    assert [c.to_dict() for c in again.changes] == [c.to_dict() for c in first.changes]
    assert again.metadata == first.metadata


@pytest.mark.parametrize("name", sorted(CASES))
def test_idempotent(name):
    once = clean(page(name)).text
    assert clean(once).text == once


# --- limits and pathological pages --------------------------------------------

def test_max_bytes_raises_or_records():
    big = b"<html><body>" + b"<p>word word word</p>" * 1000 + b"</body></html>"
    with pytest.raises(DocumentError) as exc:
        clean(big, max_bytes=1000)
    assert exc.value.kind == "too-large"
    r = clean(big, max_bytes=1000, errors="record")
    assert r.text == "" and r.changes == []
    assert r.metadata["error"]["kind"] == "too-large" and r.metadata["format"] == "html"


def test_max_bytes_applies_to_text_when_asked():
    with pytest.raises(DocumentError):
        clean("x" * 100, max_bytes=10, format="text")
    assert clean("x" * 100, format="text").text == "x" * 100 + "\n"


def _slow_page() -> str:
    return "<html><body>" + "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 20000 + "</body></html>"


def test_timeout_records_an_error():
    r = clean(_slow_page(), timeout=0.05, errors="record")
    assert r.metadata["error"]["kind"] == "timeout"
    with pytest.raises(DocumentError) as exc:
        clean(_slow_page(), timeout=0.05)
    assert exc.value.kind == "timeout"


def test_timeout_outside_the_main_thread():
    box = {}

    def work():
        box["r"] = clean(_slow_page(), timeout=0.05, errors="record")

    t = threading.Thread(target=work)
    t.start()
    t.join(30)
    assert box["r"].metadata["error"]["kind"] == "timeout"


def test_timeout_helper_passes_results_and_errors():
    assert H.call_with_timeout(lambda: 42, 5) == 42
    assert H.call_with_timeout(lambda: 7, None) == 7
    with pytest.raises(ZeroDivisionError):
        H.call_with_timeout(lambda: 1 / 0, 5)

    def in_thread():
        box["v"] = H.call_with_timeout(lambda: 5, 5)
        with pytest.raises(KeyError):
            H.call_with_timeout(lambda: {}["x"], 5)

    box: dict = {}
    t = threading.Thread(target=in_thread)
    t.start()
    t.join()
    assert box["v"] == 5


@pytest.mark.parametrize("src", [
    "<html><body>" + "<div>" * 100_000 + "Deep text in the middle of many divs." + "</div>" * 100_000 + "</body></html>",
    "<html><body>" + "<div><span>" * 50_000 + "Never closed",
    '<html><body><p title="' + "x" * 5_000_000 + '">Text after a huge attribute, long enough to keep.</p></body></html>',
    "<html><body><p>one <b>two <i>three <p>four <table><tr><td>five " * 2000,
    "<html><head><title>" + "t" * 100_000,
    "<html></html>",
    "",
    "<html><body>   </body></html>",
    "<html><body><script>" + "var x = 1;" * 100_000 + "</script></body></html>",
    "<html><body><p>" + '<span><a href="/x">alpha beta gamma</a><a href="/y">delta epsilon zeta</a>' * 3000
    + "</span>" * 3000 + "</p></body></html>",
    "<html><body>" + '<p>Text <span><a href="/x">one two three four</a> <a href="/y">five six seven eight</a>'
    '</span> more.</p>' * 2000 + "</body></html>",
])
def test_pathological_pages_do_not_crash(src):
    r = clean(src, format="html", timeout=20, errors="record")
    assert isinstance(r.text, str)
    assert r.metadata["format"] == "html"
    if "error" not in r.metadata:
        assert r.restore() is not None


def test_pipeline_run_accepts_the_same_options():
    pipe = Pipeline.from_names(["whitespace"])
    r = pipe.run(page("news"), format="html", html={"metadata": "none"})
    assert "title" not in r.metadata
    assert "html" in r.timings


def test_link_box_inside_a_paragraph_is_removed_but_the_name_stays():
    card = ('<span class="card"><a href="/people/jo-rivers">Jo Rivers</a>'
            '<a href="/news/1">Rivers wins the county seat after a recount</a> '
            '<a href="/news/2">Rivers backs the new ferry timetable</a></span>')
    src = ("<html><head><link rel='canonical' href='https://paper.example/news/3'></head><body><article>"
           "<p>The ferry plan was signed on Monday by the county's new member, "
           f"<span class='person'><a href='/people/jo-rivers'>Jo Rivers</a>{card}</span>, "
           "who said that the timetable would start in the spring and run through the whole summer season "
           "with an extra crossing at weekends.</p>"
           "<p>" + "The harbour board agreed with the plan and will publish the new timetable soon. " * 3 + "</p>"
           "</article></body></html>")
    r = clean(src)
    assert "county's new member, Jo Rivers, who said" in r.text
    assert "recount" not in r.text and "backs the new ferry" not in r.text
    box = [c for c in r.changes if c.rule == "link-box"]
    assert len(box) == 1 and box[0].before.startswith("Jo RiversRivers wins")


def test_link_box_needs_links_to_the_same_site():
    src = ("<html><head><link rel='canonical' href='https://paper.example/a'></head><body><article><p>"
           "Sources for this story were "
           "<span><a href='https://other.example/1'>The first report on ferry timetables in the region</a> and "
           "<a href='https://third.example/2'>A second report on ferry timetables and prices</a></span>"
           ", both published last year and both quoted at length by the harbour board in its decision.</p>"
           "<p>" + "More words of the article follow here to make it long enough. " * 4 + "</p>"
           "</article></body></html>")
    r = clean(src)
    assert "The first report on ferry timetables" in r.text
    assert not [c for c in r.changes if c.rule == "link-box"]


def test_heading_of_a_removed_link_list_goes_with_it():
    text = ("Body paragraph of the story.\n\nDon't miss\n\n"
            "- Council approves the new bridge over the river\n"
            "- Ferry timetable changes for the summer season\n\n"
            "In short\n\nA closing paragraph.")
    p = _page(anchors=["Council approves the new bridge over the river",
                       "Ferry timetable changes for the summer season"])
    edits = list(H.page_edits(text, p))
    assert [e.rule for e in edits] == ["link-list-heading", "link-line", "link-line"]
    assert _apply(text, edits) == "Body paragraph of the story.\n\nIn short\n\nA closing paragraph."
    # a sentence before a link line is not a heading
    text = "Read this too.\n\n- Council approves the new bridge over the river\n\nEnd of story here."
    assert [e.rule for e in H.page_edits(text, p)] == ["link-line"]


def test_layout_rules_are_left_to_the_extractor_on_html():
    # a repeated paragraph is content the extractor kept (a recipe step, a table row);
    # as plain text the boilerplate filter removes the second copy as a duplicate
    paras = ["The council approved the new budget on Monday after a long debate, and the mayor "
             "said the plan would fund two schools.",
             "Mix two cups of flour with one cup of water and a pinch of salt, then knead it for ten minutes.",
             "Work on the first school is due to start in the spring, officials said, and the second "
             "will follow a year later."]
    paras.append(paras[1])
    text = "\n\n".join(paras) + "\n"
    assert [c.rule for c in clean(text).changes if c.filter == "boilerplate"] == ["duplicate"]
    assert clean(text, metadata={"skip_rules": ["duplicate"]}).text == text
    html = "<html><body><article>" + "".join(f"<p>{p}</p>" for p in paras) + "</article></body></html>"
    r = clean(html)
    assert r.metadata["skip_rules"] == list(H.EXTRACTED_SKIP_RULES)
    assert r.text.count(paras[1]) == 2
    # the phrase rules still apply to extracted text
    r = clean(html.replace("</article>", "<p>Sign up for our newsletter</p></article>"))
    assert "newsletter" not in r.text
