/* The glossary card in search: this loader is all a page carries.
 *
 * search-terms-card.js, its stylesheet and search/glossary.json are fetched once the page
 * has finished loading (or sooner, if the reader goes to the search box first), so they
 * cost the page's own loading nothing, and the card then works offline like the rest of
 * search, whose index also arrives after the page. They are files of this site.
 */
(function () {
  "use strict";
  var src = document.currentScript.src;
  var input = document.querySelector(".md-search__input");
  if (!input) return;
  var started = false;
  function load() {
    if (started) return;
    started = true;
    var script = document.createElement("script");
    script.src = new URL("search-terms-card.js", src);
    document.head.appendChild(script);
  }
  input.addEventListener("focus", load);
  if (document.readyState === "complete" || input.value || document.activeElement === input) load();
  else window.addEventListener("load", load);
})();
