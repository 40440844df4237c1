/* The glossary card pinned above Material's search results.
 *
 * Loaded by search-terms.js. It reads search/glossary.json, which the build writes from
 * docs/glossary.yml (scripts/search.py), and while the reader types it shows the
 * definition of each glossary term the query names, between the result count and the
 * results, with links to the glossary entry and to the notes section that introduces the
 * term. Material's search worker is not touched; the card is built with DOM APIs and
 * textContent only.
 *
 * Keyboard: Material moves the focus through the links in its results with the arrow
 * keys, and the card's links sit inside the results box, so they come first. Material's
 * Enter key reads the score from each link's first element, so each of our links holds
 * one, scored below every result (Enter on the search box still opens the best result).
 */
(function () {
  "use strict";
  var src = document.currentScript.src;
  var root = new URL("../../", src); // the site root: the JSON's URLs are relative to it
  var input = document.querySelector(".md-search__input");
  var results = document.querySelector(".md-search-result");
  var list = results && results.querySelector(".md-search-result__list");
  if (!input || !list) return;

  // Fetched as a print stylesheet, at the lowest priority, so that it never competes with
  // the page's own files or holds up its first paint; it applies to the screen once it is in.
  var style = document.createElement("link");
  style.rel = "stylesheet";
  style.media = "print";
  style.onload = function () { style.media = "all"; };
  style.href = new URL("../stylesheets/search-terms.css", src);
  document.head.appendChild(style);

  var box = document.createElement("div");
  box.className = "search-terms";
  box.setAttribute("aria-live", "polite");
  results.insertBefore(box, list); // after the result count, which Material keeps first
  var data = null;
  var shown = "";
  var timer = 0;
  var MAX_CARDS = 3; // a long query still leaves room for the results

  // The same steps as search_key in scripts/search.py.
  function key(text) {
    return text.toLowerCase().replace(/['\u2019]/g, "").replace(/[^0-9a-z]+/g, " ").trim();
  }

  // The ids of the terms the query names, in its order (named_terms in scripts/search.py).
  // Keys come longest first; a key found is masked, so "mesa optimizer" is not also "optimizer".
  function named(query) {
    var text = " " + key(query) + " ";
    var found = [];
    data.keys.forEach(function (pair) {
      var at = text.indexOf(" " + pair[0] + " ");
      if (at < 0) return;
      text = text.slice(0, at + 1) + pair[0].replace(/./g, "|") + text.slice(at + 1 + pair[0].length);
      if (!found.some(function (f) { return f[1] === pair[1]; })) found.push([at, pair[1]]);
    });
    found.sort(function (a, b) { return a[0] - b[0]; });
    return found.slice(0, MAX_CARDS).map(function (f) { return f[1]; });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function link(href, text) {
    var a = el("a", "search-term__link");
    a.href = new URL(href, root);
    var label = el("span", "", text);
    label.setAttribute("data-md-score", "-1");
    a.appendChild(label);
    return a;
  }

  function card(term) {
    var section = el("section", "search-term");
    section.setAttribute("aria-label", "Glossary: " + term.term);
    var head = el("p", "search-term__head");
    head.append(el("strong", "search-term__name", term.term), el("span", "search-term__group", term.group));
    var links = el("p", "search-term__links");
    links.appendChild(link(term.entry, "Glossary entry"));
    if (term.notes) links.appendChild(link(term.notes, "In the notes: " + term.section));
    section.append(head, el("p", "search-term__def", term.definition), links);
    return section;
  }

  function update() {
    if (!data) return;
    var ids = named(input.value);
    if (ids.join(" ") === shown) return;
    shown = ids.join(" ");
    box.textContent = "";
    ids.forEach(function (id) { box.appendChild(card(data.terms[id])); });
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(update, 120);
  }

  input.addEventListener("input", soon);
  input.addEventListener("keyup", soon); // Material also fills the box itself (a suggestion)
  if (input.form) input.form.addEventListener("reset", soon);
  function loaded(json) { data = json; update(); }
  if (location.protocol === "file:") {
    // The offline bundle, opened from disk, cannot fetch: the same data comes as a
    // script that sets one variable (scripts/offline.py writes it).
    var script = document.createElement("script");
    script.src = new URL("search/glossary.js", root);
    script.onload = function () { loaded(window.__glossaryCard); };
    script.onerror = function () { console.warn("glossary card in search: search/glossary.js is missing"); };
    document.head.appendChild(script);
  } else {
    fetch(new URL("search/glossary.json", root))
      .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error(r.status)); })
      .then(loaded)
      .catch(function (e) { console.warn("glossary card in search: " + e.message); });
  }
})();
