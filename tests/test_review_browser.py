"""The review page in a real headless Chromium: safety, toggles, search, keys, export, 5,000 documents.

Skips with the reason when selenium, chromium or chromedriver is missing
(see tests/_browser.py). CI installs them: apt-get install -y chromium chromium-driver.
"""

import os
import time
from pathlib import Path

import pytest

import _browser
from cleanarticle.overrides import Overrides
from cleanarticle.review.load import Reviewed, load_outputs
from cleanarticle.review.page import build_page, write_page

from _reviewdata import ARTICLE, EVIL, pipeline, write_outputs


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    downloads = tmp_path_factory.mktemp("downloads")
    drv = _browser.start(downloads)
    drv.downloads = downloads
    yield drv
    drv.quit()


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("review")
    write_outputs(tmp / "out", {"evil": EVIL, "rivers": ARTICLE, "plain": "Nothing  to remove here.\n",
                                "gone": "Subscribe now\nSign up today for more\nShort.\n"})
    path = tmp / "review.html"
    write_page([tmp / "out"], path)
    return path


def js(drv, script, *args):
    return drv.execute_script(script, *args)


def select_doc(drv, doc_id):
    js(drv, """const row = [...document.querySelectorAll('.row')].find(r => r.querySelector('.id').textContent === arguments[0]);
               row.click();""", doc_id)
    assert js(drv, "return document.querySelector('#doc-head .name').textContent") == doc_id


def keys(drv, text):
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(drv).send_keys(text).perform()


def test_content_renders_as_text_and_runs_nothing(browser, page, tmp_path):
    browser.get_log("browser")  # drop earlier messages
    _browser.open_page(browser, page)
    select_doc(browser, "evil")
    assert js(browser, "return window.__pwned") is None
    shown = js(browser, "return document.getElementById('doc-text').textContent")
    for s in ("<script>window.__pwned = 1</script>", 'onerror="window.__pwned = 2"', "</textarea>",
              'href="javascript:window.__pwned = 3"', "<b>now</b>"):
        assert s in shown
    assert js(browser, "return document.querySelectorAll('img, iframe, object, embed').length") == 0
    # the text pane holds only the page's own elements
    assert js(browser, "return [...document.querySelectorAll('#doc-text *')].every("
                       "e => ['SPAN', 'MARK', 'DIV'].includes(e.tagName))")
    assert js(browser, "return document.querySelectorAll('a[href]').length") == 0
    assert js(browser, "return document.scripts.length") == 2
    # links in text are not links: clicking the text navigates nowhere
    js(browser, "document.getElementById('doc-text').click()")
    assert js(browser, "return window.__pwned") is None and browser.current_url.startswith("file:")
    # the CSP allowed our own script and style: no violation reported
    assert _browser.console_errors(browser) == []
    shot = tmp_path / "review.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000


def test_filter_toggles_hide_and_show_a_filters_marks(browser, page):
    _browser.open_page(browser, page)
    select_doc(browser, "rivers")
    count = "return document.querySelectorAll('#doc-text .chg.off').length"
    struck = ("return [...document.querySelectorAll('#doc-text .chg.rw .b')]"
              ".filter(e => e.offsetParent !== null).map(e => e.textContent)")
    assert sorted(js(browser, struck)) == ["recieve", "teh"]
    js(browser, "document.querySelector('.toggle[data-filter=\"typos\"]').click()")
    assert js(browser, "return document.querySelector('.toggle[data-filter=\"typos\"]').getAttribute('aria-pressed')") == "false"
    assert js(browser, struck) == []  # typos marks hidden: the text reads as cleaned
    assert "the town council" in js(browser, "return document.getElementById('doc-text').innerText")
    off = js(browser, count)
    assert off >= 2
    js(browser, "document.querySelector('.toggle[data-filter=\"typos\"]').click()")
    assert sorted(js(browser, struck)) == ["recieve", "teh"]
    # whitespace starts hidden when other filters are present; its number key shows it
    ws_index = js(browser, "return [...document.querySelectorAll('.toggle')].findIndex(b => b.dataset.filter === 'whitespace')")
    before = js(browser, count)
    keys(browser, str(ws_index + 1))
    assert js(browser, count) < before


def test_search_filters_documents_and_highlights(browser, page):
    _browser.open_page(browser, page)
    box = browser.find_element("id", "search")
    box.click()
    box.send_keys("RECIEVE")
    _browser.wait(browser, "return document.getElementById('search-count').textContent === '1 of 4'")
    assert js(browser, "return [...document.querySelectorAll('.row .id')].map(e => e.textContent)") == ["rivers"]
    assert js(browser, "return document.querySelector('#doc-head .name').textContent") == "rivers"
    assert js(browser, "return [...document.querySelectorAll('#doc-text mark')].map(m => m.textContent)") == ["recieve"]
    # a search for markup finds it as text
    js(browser, "arguments[0].value = ''", box)
    box.send_keys("<script>")
    _browser.wait(browser, "const m = document.querySelector('#doc-text mark'); return m && m.textContent === '<script>'")
    assert js(browser, "return document.getElementById('search-count').textContent") == "1 of 4"
    js(browser, "arguments[0].value = ''", box)
    box.send_keys("no such words anywhere")
    _browser.wait(browser, "return document.getElementById('search-count').textContent === '0 of 4'")


def test_list_sorts_by_share_removed_and_keyboard_moves(browser, page):
    _browser.open_page(browser, page)
    ids = "return [...document.querySelectorAll('.row')].sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top)).map(r => r.querySelector('.id').textContent)"
    shares = ("return [...document.querySelectorAll('.row')].sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))"
              ".map(r => parseFloat(r.querySelector('.share').textContent))")
    got = js(browser, shares)
    assert got == sorted(got, reverse=True) and js(browser, ids)[0] == "gone"  # default: most removed first
    js(browser, "document.querySelector('#list-head .sort[data-key=\"share\"]').click()")
    got = js(browser, shares)
    assert got == sorted(got)
    js(browser, "document.querySelector('#list-head .sort[data-key=\"id\"]').click()")
    assert js(browser, ids) == ["evil", "gone", "plain", "rivers"]
    assert js(browser, "return document.querySelector('#doc-head .name').textContent") == "gone"
    keys(browser, "j")
    assert js(browser, "return document.querySelector('#doc-head .name').textContent") == "plain"
    keys(browser, "kk")
    assert js(browser, "return document.querySelector('#doc-head .name').textContent") == "evil"
    # flagged only: the document that lost most of its words
    keys(browser, "f")
    assert js(browser, ids) == ["gone"]
    assert "flagged" in js(browser, "return document.getElementById('doc-head').textContent")
    keys(browser, "f")


def test_changes_navigate_expand_tooltip_and_mark(browser, page):
    _browser.open_page(browser, page)
    select_doc(browser, "rivers")
    keys(browser, "n")
    cur = "return document.querySelector('.cur-line').textContent"
    # the first change is whitespace, hidden by default, so 'n' skips it
    assert "Change 2/" in js(browser, cur) and "typos/misspelling" in js(browser, cur)
    assert js(browser, "return document.getElementById('tooltip').hidden") is False
    tip = js(browser, "return document.getElementById('tooltip').textContent")
    assert "/" in tip and "before:" in tip and "after:" in tip
    for _ in range(10):
        if "boilerplate/newsletter" in js(browser, cur):
            break
        keys(browser, "n")
    node = "document.querySelector('#doc-text .chg.cur')"
    assert js(browser, f"return {node}.classList.contains('rm')")
    collapsed = js(browser, f"return {node}.classList.contains('collapsed')")
    keys(browser, "e")
    assert js(browser, f"return {node}.classList.contains('collapsed')") != collapsed
    keys(browser, "x")
    assert js(browser, f"return {node}.classList.contains('wrong')")
    assert js(browser, "return document.getElementById('marked-count').textContent") == "1"
    keys(browser, "x")
    assert js(browser, "return document.getElementById('marked-count').textContent") == "0"
    keys(browser, "?")
    assert "next / previous change" in js(browser, "return document.getElementById('panel-text').textContent")
    keys(browser, "\ue00c")  # Escape
    assert js(browser, "return document.getElementById('panel').hidden")


def test_export_writes_the_overrides_file(browser, page):
    _browser.open_page(browser, page)
    for name in ("evil", "rivers"):
        select_doc(browser, name)
        keys(browser, "n")
        browser.find_element("id", "mark-button").click()
    target = browser.downloads / "overrides.toml"
    if target.exists():
        target.unlink()
    browser.find_element("id", "export").click()
    text = _browser.wait(browser, "return document.getElementById('overrides-text').value")
    assert _browser.wait_for_file(target) == text
    ov = Overrides.from_toml(text)
    assert [o.doc for o in ov.items] == ["evil", "rivers"]
    # the exported file is exactly what the Python writer gives for those changes
    from cleanarticle.overrides import Override, dumps

    docs = {d.id: d for d in load_outputs([page.parent / "out"])}
    assert text == dumps([Override(o.filter, o.rule, o.before, doc=o.doc, start=o.start, after=o.after)
                          for o in ov.items])
    for o in ov.items:
        d = docs[o.doc]
        assert any(c.before == o.before and c.start == o.start and c.after == o.after for c in d.changes)
    keys(browser, "\ue00c")


def _many(n: int) -> list[Reviewed]:
    pipe = pipeline()
    base = [ARTICLE, "Short note  with teh word.\n", "Subscribe now\nSign up today\nOne line left.\n" * 3,
            ("A long paragraph of article text that goes on. " * 40 + "\n\n") * 4]
    results = [pipe.run(t) for t in base]
    return [Reviewed(f"batch/{i // 100:02d}/doc-{i:05d}", Path(f"doc-{i}.txt"), results[i % 4].text,
                     tuple(results[i % 4].changes)) for i in range(n)]


def test_five_thousand_documents_open_and_scroll_lazily(browser, tmp_path):
    path = tmp_path / "big.html"
    t0 = time.perf_counter()
    path.write_text(build_page(_many(5000)), encoding="utf-8")
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    _browser.open_page(browser, path)
    opened = time.perf_counter() - t0
    assert js(browser, "return document.querySelectorAll('.row').length") < 80  # only what is in view
    assert "5000" in js(browser, "return document.getElementById('summary').textContent")
    # scroll the list to the end: the last rows get rendered, still only a window of them
    js(browser, "const l = document.getElementById('list'); l.scrollTop = l.scrollHeight;")
    _browser.wait(browser, "return [...document.querySelectorAll('.row .id')].some(e => e.textContent.endsWith('doc-04999') || e.textContent.endsWith('doc-00000'))")
    assert js(browser, "return document.querySelectorAll('.row').length") < 80
    keys(browser, "j")
    assert js(browser, "return document.querySelector('#doc-head .name').textContent").startswith("batch/")
    print(f"5000 docs: page {path.stat().st_size / 1e6:.1f} MB, built in {build:.2f}s, opened in {opened:.2f}s")


def test_a_huge_document_renders_in_chunks(browser, tmp_path):
    para = "A paragraph of the article that stays. " * 20 + "\n\nSubscribe now\n\nAnd teh next one.\n\n"
    text = para * 1000  # about 1 MB
    r = pipeline().run(text)
    path = tmp_path / "huge.html"
    path.write_text(build_page([Reviewed("huge", Path("huge.txt"), r.text, tuple(r.changes))]), encoding="utf-8")
    _browser.open_page(browser, path)
    shown = "return document.getElementById('doc-text').textContent.length"
    first = js(browser, shown)
    assert 0 < first < len(r.text) / 10  # only the first chunk
    js(browser, "const t = document.getElementById('doc-text'); t.scrollTop = t.scrollHeight;")
    _browser.wait(browser, f"{shown} > {first}")
    # jumping back to the last shown change renders everything up to it
    last = max(i for i, c in enumerate(r.changes) if c.rule == "misspelling")
    keys(browser, "p")
    assert f"Change {last + 1}/{len(r.changes)}: typos/misspelling" in js(
        browser, "return document.querySelector('.cur-line').textContent")
    assert js(browser, "return document.querySelectorAll('#doc-text .chg').length") >= last + 1


def test_screenshot_for_the_readme(browser, page, tmp_path):
    """Saves a screenshot; with CLEANARTICLE_SCREENSHOT=PATH also there (docs/review-page.png)."""
    _browser.open_page(browser, page)
    select_doc(browser, "rivers")
    js(browser, "document.getElementById('rules-details').open = true")
    # expand the newsletter removal, mark the cookie notice as wrong, end on a rewrite's tooltip
    js(browser, "document.querySelector('#doc-text .chg.rm.collapsed .pill').click()")
    js(browser, "[...document.querySelectorAll('#doc-text .chg.rm .pill')].pop().click()")
    keys(browser, "x")
    assert js(browser, "return document.getElementById('marked-count').textContent") == "1"
    for _ in range(6):
        keys(browser, "n")
        if "recieve" in js(browser, "return document.getElementById('tooltip').textContent"):
            break
    out = Path(os.environ.get("CLEANARTICLE_SCREENSHOT") or tmp_path / "review-page.png")
    assert browser.save_screenshot(str(out))
    assert out.stat().st_size > 10_000
