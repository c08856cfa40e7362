"use strict";
// cleanarticle review page. Document text is data: it is only ever placed with
// textContent / createTextNode, never parsed as HTML.
(function () {
  const DATA = JSON.parse(document.getElementById("review-data").textContent);
  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const ROW = 28;            // px, list row height (fixed: the list is virtual)
  const CHUNK = 40000;       // characters of a document rendered per step
  const SHORT = 80;          // removals up to this long (one line) show struck through inline
  const FILTERS = DATA.filters, RULES = DATA.rules, REASONS = DATA.reasons;
  const docs = DATA.docs;
  const words = (s) => { let n = 0; const re = /\S+/g; while (re.exec(s)) n++; return n; };
  const pct = (x) => (100 * x).toFixed(x > 0 && x < 0.001 ? 2 : 1) + "%";

  // ------------------------------------------------------------------ state
  const state = {
    on: FILTERS.map((f) => !(f === "whitespace" && FILTERS.length > 1)),
    sortKey: "share", sortDir: -1,
    view: [], sel: -1, cur: -1,
    query: "", re: null, onlyFlagged: false,
    marked: new Set(),       // "doc:change"
    rendered: 0, renderPos: 0, renderK: 0, // lazy rendering of the selected document
  };
  docs.forEach((d, i) => { d.i = i; d.share = d.w ? d.wr / d.w : 0; });

  // ------------------------------------------------------------------ summary
  function summary() {
    let changes = 0, changed = 0, w = 0, wr = 0, flagged = 0;
    const perFilter = FILTERS.map(() => 0);
    const perRule = new Map();
    for (const d of docs) {
      w += d.w; wr += d.wr; changes += d.c.length;
      if (d.c.length) changed++;
      if (d.flag) flagged++;
      const seen = new Set();
      for (const c of d.c) {
        perFilter[c[2]]++;
        const key = c[2] + "\u0000" + c[3];
        let r = perRule.get(key);
        if (!r) perRule.set(key, r = { f: c[2], r: c[3], n: 0, docs: 0, words: 0 });
        r.n++;
        const lost = words(c[5]) - words(d.t.slice(c[0], c[1]));
        if (lost > 0) r.words += lost;
        if (!seen.has(key)) { seen.add(key); r.docs++; }
      }
    }
    $("title").textContent = DATA.title;
    const s = $("summary");
    const item = (label, value) => { const sp = el("span"); sp.append(el("b", "", value), " " + label); s.append(sp); return sp; };
    item("documents", String(docs.length));
    item("changed", String(changed));
    item("changes", String(changes));
    item("words removed (" + pct(w ? wr / w : 0) + " of " + w + ")", String(wr));
    const f = item("", "");
    f.textContent = "";
    const fb = el("button", "", flagged + " flagged");
    fb.id = "flagged-link";
    fb.title = "Documents losing " + pct(DATA.flagShare) + " or more of their words, or flagged by a filter's over-removal guard";
    fb.addEventListener("click", () => { $("only-flagged").checked = !state.onlyFlagged; setFlagged(!state.onlyFlagged); });
    f.append(fb, " (over-removal guard)");
    // toggles
    const tg = $("toggles");
    FILTERS.forEach((name, fi) => {
      const b = el("button", "toggle");
      b.type = "button";
      b.dataset.filter = name;
      b.append(el("span", "", name), el("span", "n", String(perFilter[fi])));
      b.title = "Show or hide the changes of " + name + (fi < 9 ? "  (" + (fi + 1) + ")" : "");
      b.setAttribute("aria-pressed", String(state.on[fi]));
      b.addEventListener("click", () => toggleFilter(fi));
      tg.append(b);
    });
    // per rule table
    const t = $("rules-table");
    const head = el("tr");
    for (const [h, num] of [["filter"], ["rule"], ["changes", 1], ["documents", 1], ["words removed", 1]]) head.append(el("th", num ? "num" : "", h));
    t.append(head);
    [...perRule.values()].sort((a, b) => FILTERS[a.f].localeCompare(FILTERS[b.f]) || RULES[a.r].localeCompare(RULES[b.r])).forEach((r) => {
      const tr = el("tr");
      tr.append(el("td", "", FILTERS[r.f]), el("td", "", RULES[r.r]), el("td", "num", String(r.n)), el("td", "num", String(r.docs)), el("td", "num", String(r.words)));
      t.append(tr);
    });
  }

  // ------------------------------------------------------------------ list
  const list = $("list"), spacer = $("list-spacer");
  function haystack(d) {
    if (d.hay === undefined) {
      const parts = [d.id, d.t];
      for (const c of d.c) parts.push(c[5], FILTERS[c[2]] + "/" + RULES[c[3]]);
      d.hay = parts.join("\n");
    }
    return d.hay;
  }
  function matches(d) {
    if (state.onlyFlagged && !d.flag) return false;
    if (!state.re) return true;
    state.re.lastIndex = 0;
    return state.re.test(haystack(d));
  }
  function sortView() {
    const k = state.sortKey, dir = state.sortDir;
    const key = k === "id" ? null : k === "share" ? (d) => d.share : (d) => d.c.length;
    state.view = docs.filter(matches).map((d) => d.i);
    state.view.sort((a, b) => {
      const da = docs[a], db = docs[b];
      if (key) { const x = key(da) - key(db); if (x) return dir * x; }
      const y = da.id < db.id ? -1 : da.id > db.id ? 1 : 0;
      return (key ? 1 : dir) * y || a - b;
    });
    for (const b of document.querySelectorAll("#list-head .sort")) {
      b.setAttribute("aria-sort", b.dataset.key === k ? (dir > 0 ? "ascending" : "descending") : "none");
    }
    $("search-count").textContent = state.re || state.onlyFlagged ? state.view.length + " of " + docs.length : "";
    spacer.style.height = state.view.length * ROW + "px";
    renderList(true);
  }
  // The list is virtual: only rows in view exist. Rows already shown are kept
  // while scrolling (creating and shaping text is what costs, not positioning).
  let listQueued = false;
  const live = new Map(); // position in the view -> row element
  function makeRow(r) {
    const d = docs[state.view[r]];
    const row = el("div", "row" + (d.i === state.sel ? " sel" : "") + (d.flag ? " flag" : ""));
    row.style.top = r * ROW + "px";
    row.dataset.doc = String(d.i);
    row.title = d.id;
    const bar = el("span", "bar");
    bar.style.width = Math.round(30 * d.share) + "px";
    const share = el("span", "share");
    share.append(bar, pct(d.share));
    row.append(el("span", "id", d.id), share, el("span", "cnt", String(d.c.length)));
    return row;
  }
  function renderList(force) {
    listQueued = false;
    if (force === true) { live.clear(); spacer.replaceChildren(); }
    const top = list.scrollTop, h = list.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / ROW) - 8);
    const last = Math.min(state.view.length, Math.ceil((top + h) / ROW) + 8);
    for (const [r, row] of live) if (r < first || r >= last) { row.remove(); live.delete(r); }
    const add = [];
    for (let r = first; r < last; r++) if (!live.has(r)) { const row = makeRow(r); live.set(r, row); add.push(row); }
    if (add.length) spacer.append(...add);
  }
  function markSelected() {
    for (const row of live.values()) row.classList.toggle("sel", Number(row.dataset.doc) === state.sel);
  }
  list.addEventListener("scroll", () => { if (!listQueued) { listQueued = true; requestAnimationFrame(renderList); } }, { passive: true });
  list.addEventListener("click", (ev) => {
    const row = ev.target.closest(".row");
    if (row) select(Number(row.dataset.doc));
  });
  for (const b of document.querySelectorAll("#list-head .sort")) {
    b.addEventListener("click", () => {
      if (state.sortKey === b.dataset.key) state.sortDir = -state.sortDir;
      else { state.sortKey = b.dataset.key; state.sortDir = b.dataset.key === "id" ? 1 : -1; }
      sortView();
    });
  }
  function scrollListTo(i) {
    const r = state.view.indexOf(i);
    if (r < 0) return;
    const top = r * ROW, h = list.clientHeight;
    if (top < list.scrollTop) list.scrollTop = top;
    else if (top + ROW > list.scrollTop + h) list.scrollTop = top + ROW - h;
    renderList();
    markSelected();
  }

  // ------------------------------------------------------------------ document
  const text = $("doc-text"), head = $("doc-head");
  function appendText(parent, s) {
    if (!state.re || !s) { parent.append(s); return; }
    const re = state.re;
    re.lastIndex = 0;
    let pos = 0, m;
    while ((m = re.exec(s)) !== null) {
      if (m[0] === "") { re.lastIndex++; continue; }
      if (m.index > pos) parent.append(s.slice(pos, m.index));
      parent.append(el("mark", "", m[0]));
      pos = m.index + m[0].length;
    }
    if (pos < s.length) parent.append(s.slice(pos));
  }
  const visibleWs = (s) => s.replace(/ /g, "\u00b7").replace(/\t/g, "\u21e5").replace(/\r/g, "\u240d").replace(/\n/g, "\u21b5");
  function changeNode(d, k) {
    const c = d.c[k];
    const before = c[5], after = d.t.slice(c[0], c[1]);
    const ws = !before.trim() && !after.trim();
    const kind = ws ? "ws" : !after ? "rm" : !before ? "ins" : "rw";
    const sp = el("span", "chg " + kind + " f" + c[2]);
    sp.dataset.k = String(k);
    if (!state.on[c[2]]) sp.classList.add("off");
    if (state.marked.has(d.i + ":" + k)) sp.classList.add("wrong");
    if (kind === "rm") {
      const short = before.length <= SHORT && before.indexOf("\n") < 0;
      sp.classList.add(short ? "short" : "collapsed");
      const pill = el("span", "pill");
      pill.append(el("span", "arrow"), "removed " + words(before) + " word" + (words(before) === 1 ? "" : "s") + " \u00b7 " + FILTERS[c[2]] + "/" + RULES[c[3]]);
      const b = el("span", "b");
      appendText(b, before);
      sp.append(pill, b);
    } else {
      if (before) { const b = el("span", "b"); if (ws) b.append(visibleWs(before)); else appendText(b, before); sp.append(b); }
      const a = el("span", "a");
      appendText(a, after);
      sp.append(a);
    }
    return sp;
  }
  let observer = null;
  function renderMore(untilK) {
    const d = docs[state.sel];
    if (!d) return;
    const old = text.querySelector(".more");
    if (old) old.remove();
    const frag = document.createDocumentFragment();
    let budget = CHUNK;
    while (state.renderPos < d.t.length || state.renderK < d.c.length) {
      if (budget <= 0 && (untilK === undefined || state.renderK > untilK)) break;
      const c = d.c[state.renderK];
      const next = c ? c[0] : d.t.length;
      if (next > state.renderPos) {
        const end = Math.min(next, state.renderPos + Math.max(budget, 2000));
        const s = d.t.slice(state.renderPos, end);
        appendText(frag, s);
        budget -= s.length;
        state.renderPos = end;
        continue;
      }
      frag.append(changeNode(d, state.renderK));
      budget -= c[5].length + (c[1] - c[0]) + 20;
      state.renderPos = c[1];
      state.renderK++;
    }
    text.append(frag);
    if (state.renderPos < d.t.length || state.renderK < d.c.length) {
      const more = el("div", "more", "\u2026 more");
      text.append(more);
      if (observer) observer.observe(more);
    }
  }
  if ("IntersectionObserver" in window) {
    observer = new IntersectionObserver((entries) => {
      for (const e of entries) if (e.isIntersecting) { observer.unobserve(e.target); renderMore(); }
    }, { root: text, rootMargin: "800px" });
  }
  function renderHead() {
    const d = docs[state.sel];
    head.replaceChildren();
    if (!d) { head.append(el("span", "empty", "No document selected")); return; }
    head.append(el("div", "name", d.id));
    const line = el("div");
    line.append(d.c.length + " change(s), " + d.wr + " of " + d.w + " word(s) removed (" + pct(d.share) + ")");
    if (d.flag) line.append(" \u00b7 ", el("span", "flag", "flagged: over-removal guard"));
    head.append(line);
    const cur = el("div", "cur-line");
    if (state.cur >= 0) {
      const c = d.c[state.cur];
      const wrong = state.marked.has(d.i + ":" + state.cur);
      cur.append("Change " + (state.cur + 1) + "/" + d.c.length + ": " + FILTERS[c[2]] + "/" + RULES[c[3]] + " \u2014 " + REASONS[c[4]] + " ");
      const b = el("button", "", wrong ? "Unmark (x)" : "\u2717 Mark as wrong (x)");
      b.type = "button";
      b.id = "mark-button";
      b.addEventListener("click", () => toggleWrong());
      cur.append(b);
    } else {
      cur.append(el("span", "empty", "n / p: next / previous change \u00b7 x: mark as wrong \u00b7 j / k: next / previous document \u00b7 ?: help"));
    }
    head.append(cur);
  }
  function select(i, keepScroll) {
    if (i < 0 || i >= docs.length) return;
    state.sel = i; state.cur = -1; state.renderPos = 0; state.renderK = 0;
    text.replaceChildren();
    if (observer) observer.disconnect();
    const d = docs[i];
    if (!d.t && !d.c.length) text.append(el("span", "empty", "(empty document)"));
    renderMore();
    if (!keepScroll) text.scrollTop = 0;
    renderHead();
    scrollListTo(i);
    hideTip();
  }
  function nodeFor(k) {
    if (k >= state.renderK) renderMore(k);
    return text.querySelector('.chg[data-k="' + k + '"]');
  }
  function goChange(step) {
    const d = docs[state.sel];
    if (!d || !d.c.length) return;
    let k = state.cur;
    for (let n = 0; n < d.c.length; n++) {
      k = k < 0 ? (step > 0 ? 0 : d.c.length - 1) : (k + step + d.c.length) % d.c.length;
      if (state.on[d.c[k][2]]) break;
      if (n === d.c.length - 1) return; // every change hidden
    }
    setCurrent(k, true);
  }
  function setCurrent(k, scroll) {
    const prev = text.querySelector(".chg.cur");
    if (prev) prev.classList.remove("cur");
    state.cur = k;
    const node = nodeFor(k);
    if (node) {
      node.classList.add("cur");
      if (scroll) { node.scrollIntoView({ block: "center" }); showTip(node, null); }
    }
    renderHead();
  }
  function toggleWrong() {
    const d = docs[state.sel];
    if (!d || state.cur < 0) return;
    const key = d.i + ":" + state.cur;
    if (state.marked.has(key)) state.marked.delete(key); else state.marked.add(key);
    const node = nodeFor(state.cur);
    if (node) node.classList.toggle("wrong", state.marked.has(key));
    $("marked-count").textContent = String(state.marked.size);
    renderHead();
  }
  text.addEventListener("click", (ev) => {
    const node = ev.target.closest(".chg");
    if (!node || node.classList.contains("off")) return;
    const k = Number(node.dataset.k);
    if (node.classList.contains("rm") && !node.classList.contains("short") && (state.cur === k || ev.target.closest(".pill"))) {
      node.classList.toggle("collapsed");
    }
    setCurrent(k, false);
  });

  // ------------------------------------------------------------------ tooltip
  const tip = $("tooltip");
  const clip = (s, n) => (s.length > n ? s.slice(0, n) + "\u2026" : s);
  function showTip(node, ev) {
    const d = docs[state.sel], k = Number(node.dataset.k), c = d.c[k];
    const after = d.t.slice(c[0], c[1]);
    tip.replaceChildren(el("div", "t-rule", FILTERS[c[2]] + " / " + RULES[c[3]]), el("div", "", REASONS[c[4]]));
    const show = (s) => (s.trim() ? clip(s, 160) : visibleWs(s) || "(nothing)");
    tip.append(el("div", "", "before: " + show(c[5])), el("div", "", "after: " + show(after)));
    tip.append(el("div", "", "original offsets " + c[6] + "\u2013" + c[7]));
    if (c[8]) tip.append(el("div", "", "merged with: " + c[8].join(", ")));
    if (state.marked.has(d.i + ":" + k)) tip.append(el("div", "t-wrong", "marked as wrong: the next run with the overrides file keeps the original"));
    tip.hidden = false;
    const r = node.getBoundingClientRect();
    const x = ev ? ev.clientX + 12 : r.left, y = ev ? ev.clientY + 16 : r.bottom + 6;
    tip.style.left = Math.max(4, Math.min(x, window.innerWidth - tip.offsetWidth - 8)) + "px";
    tip.style.top = (y + tip.offsetHeight > window.innerHeight ? Math.max(4, r.top - tip.offsetHeight - 6) : y) + "px";
  }
  function hideTip() { tip.hidden = true; }
  text.addEventListener("mouseover", (ev) => {
    const node = ev.target.closest(".chg");
    if (node && !node.classList.contains("off")) showTip(node, ev); else hideTip();
  });
  text.addEventListener("mouseleave", hideTip);
  text.addEventListener("scroll", hideTip, { passive: true });

  // ------------------------------------------------------------------ toggles, search
  function toggleFilter(fi) {
    state.on[fi] = !state.on[fi];
    const b = document.querySelector('#toggles .toggle[data-filter="' + CSS.escape(FILTERS[fi]) + '"]');
    if (b) b.setAttribute("aria-pressed", String(state.on[fi]));
    for (const n of text.querySelectorAll(".chg.f" + fi)) n.classList.toggle("off", !state.on[fi]);
    if (!state.on[fi] && state.cur >= 0 && docs[state.sel].c[state.cur][2] === fi) setCurrent(-1, false);
    hideTip();
  }
  function setFlagged(v) { state.onlyFlagged = v; refreshView(); }
  // after the set of listed documents changed: keep the selection if it is listed, else the first
  function refreshView() {
    sortView();
    if (state.view.indexOf(state.sel) >= 0) select(state.sel, true);
    else if (state.view.length) select(state.view[0]);
    else { state.sel = -1; text.replaceChildren(); renderHead(); }
  }
  $("only-flagged").addEventListener("change", (ev) => setFlagged(ev.target.checked));
  let searchTimer = 0;
  function applySearch() {
    const q = $("search").value.trim();
    if (q === state.query) return;
    state.query = q;
    state.re = q ? new RegExp(q.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "giu") : null;
    refreshView();
    const first = text.querySelector("mark");
    if (first) first.scrollIntoView({ block: "center" });
  }
  $("search").addEventListener("input", () => { clearTimeout(searchTimer); searchTimer = setTimeout(applySearch, 150); });
  $("search").addEventListener("keydown", (ev) => { if (ev.key === "Enter") { clearTimeout(searchTimer); applySearch(); } });

  // ------------------------------------------------------------------ export
  function tomlString(s) {
    let out = '"';
    for (const ch of s) {
      const o = ch.codePointAt(0);
      if (ch === '"') out += '\\"';
      else if (ch === "\\") out += "\\\\";
      else if (ch === "\n") out += "\\n";
      else if (ch === "\t") out += "\\t";
      else if (ch === "\r") out += "\\r";
      else if (o < 0x20 || o === 0x7f) out += "\\u" + o.toString(16).toUpperCase().padStart(4, "0");
      else out += ch;
    }
    return out + '"';
  }
  function overridesToml() {
    const keys = [...state.marked].map((s) => s.split(":").map(Number)).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const lines = ["# cleanarticle overrides: changes marked as wrong in review.",
      "# Apply with: cleanarticle clean --overrides FILE ...", "version = 1"];
    for (const [di, k] of keys) {
      const d = docs[di], c = d.c[k];
      lines.push("", "[[override]]",
        "doc = " + tomlString(d.id),
        "filter = " + tomlString(FILTERS[c[2]]),
        "rule = " + tomlString(RULES[c[3]]),
        "before = " + tomlString(c[5]),
        "after = " + tomlString(d.t.slice(c[0], c[1])),
        "start = " + c[6]);
    }
    return lines.join("\n") + "\n";
  }
  function download(name, body) {
    const url = URL.createObjectURL(new Blob([body], { type: "application/toml" }));
    const a = el("a");
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }
  function openPanel(title, body, toml) {
    $("panel-title").textContent = title;
    $("panel-text").textContent = body;
    $("overrides-text").hidden = toml === null;
    $("download").hidden = toml === null;
    if (toml !== null) $("overrides-text").value = toml;
    $("panel").hidden = false;
  }
  $("export").addEventListener("click", () => {
    const toml = overridesToml();
    openPanel("Overrides: " + state.marked.size + " change(s) marked as wrong",
      "Save as overrides.toml, then run:  cleanarticle clean --overrides overrides.toml PATH -o DIR\nThose changes will not be made again.", toml);
    if (state.marked.size) download("overrides.toml", toml);
  });
  $("download").addEventListener("click", () => download("overrides.toml", $("overrides-text").value));
  $("panel-close").addEventListener("click", () => { $("panel").hidden = true; });
  const HELP = "j / k  or  \u2193 / \u2191   next / previous document\n" +
    "n / p   next / previous change\nx       mark the current change as wrong (again: unmark)\n" +
    "e       expand / collapse the current removal\n/       search        Esc  leave search, close\n" +
    "1 \u2026 9   show / hide the changes of filter 1 \u2026 9\nf       flagged documents only";
  $("help-button").addEventListener("click", () => openPanel("Keyboard", HELP, null));

  // ------------------------------------------------------------------ keyboard
  function moveDoc(step) {
    if (!state.view.length) return;
    const r = state.view.indexOf(state.sel);
    const nr = r < 0 ? 0 : Math.max(0, Math.min(state.view.length - 1, r + step));
    select(state.view[nr]);
  }
  document.addEventListener("keydown", (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const typing = ev.target instanceof HTMLInputElement || ev.target instanceof HTMLTextAreaElement;
    if (ev.key === "Escape") {
      if (!$("panel").hidden) $("panel").hidden = true;
      else if (typing) ev.target.blur();
      hideTip();
      return;
    }
    if (typing || !$("panel").hidden) return;
    const k = ev.key;
    let done = true;
    if (k === "j" || k === "ArrowDown") moveDoc(1);
    else if (k === "k" || k === "ArrowUp") moveDoc(-1);
    else if (k === "n") goChange(1);
    else if (k === "p" || k === "N") goChange(-1);
    else if (k === "x") toggleWrong();
    else if (k === "e" && state.cur >= 0) { const n = nodeFor(state.cur); if (n && n.classList.contains("rm") && !n.classList.contains("short")) n.classList.toggle("collapsed"); }
    else if (k === "/") $("search").focus();
    else if (k === "?") openPanel("Keyboard", HELP, null);
    else if (k === "f") { $("only-flagged").checked = !state.onlyFlagged; setFlagged(!state.onlyFlagged); }
    else if (k >= "1" && k <= "9" && Number(k) <= FILTERS.length) toggleFilter(Number(k) - 1);
    else done = false;
    if (done) ev.preventDefault();
  });

  // ------------------------------------------------------------------ start
  summary();
  sortView();
  if (state.view.length) select(state.view[0]); else renderHead();
  document.body.dataset.ready = "1";
})();
