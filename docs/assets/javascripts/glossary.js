/* Hover cards for glossary links.
 *
 * The build marks every link into the glossary with data-gloss="<id>" and puts each
 * definition on the page once, in a span.gloss-def (the "Terms on this page" list, or
 * a hidden block): see scripts/notes.py. This shows the definition in a card on hover,
 * on keyboard focus, and on a first tap on touch screens; Escape closes the card. The
 * link itself still leads to the glossary entry. No request leaves the page.
 */
(function () {
  "use strict";
  var tip = null;
  var owner = null;

  function card() {
    if (tip) return tip;
    tip = document.createElement("div");
    tip.className = "gloss-tip";
    tip.id = "gloss-tip";
    tip.setAttribute("role", "tooltip");
    tip.hidden = true;
    document.body.appendChild(tip);
    return tip;
  }

  function definitionOf(link) {
    var id = link.dataset.gloss;
    var spans = document.querySelectorAll("span.gloss-def");
    for (var i = 0; i < spans.length; i++) {
      if (spans[i].dataset.glossId === id) return spans[i];
    }
    return null;
  }

  function show(link) {
    var source = definitionOf(link);
    if (!source) return;
    var el = card();
    el.textContent = "";
    var term = document.createElement("strong");
    term.textContent = source.dataset.glossTerm;
    var def = document.createElement("span");
    def.textContent = source.textContent;
    var more = document.createElement("span");
    more.className = "gloss-tip__more";
    more.textContent = "Glossary entry: follow the link";
    el.append(term, def, more);
    el.hidden = false;
    var box = link.getBoundingClientRect();
    var left = Math.max(8, Math.min(box.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - el.offsetWidth - 8));
    el.style.left = left + "px";
    el.style.top = (box.bottom + window.scrollY + 6) + "px";
    link.setAttribute("aria-describedby", "gloss-tip");
    owner = link;
  }

  function hide() {
    if (!tip || tip.hidden) return;
    tip.hidden = true;
    if (owner) owner.removeAttribute("aria-describedby");
    owner = null;
  }

  function linkOf(event) {
    var target = event.target;
    return target && target.closest ? target.closest("a.gloss") : null;
  }

  document.addEventListener("mouseover", function (e) { var l = linkOf(e); if (l && l !== owner) show(l); });
  document.addEventListener("mouseout", function (e) {
    var l = linkOf(e);
    if (l && l === owner && !(e.relatedTarget && tip && tip.contains(e.relatedTarget))) hide();
  });
  document.addEventListener("focusin", function (e) { var l = linkOf(e); if (l) show(l); });
  document.addEventListener("focusout", function (e) { if (linkOf(e)) hide(); });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });
  document.addEventListener("scroll", hide, { passive: true });
  /* Touch: the first tap shows the definition, a second tap on the same link follows it. */
  document.addEventListener("touchstart", function (e) {
    var l = linkOf(e);
    if (!l) { hide(); return; }
    if (owner !== l) { e.preventDefault(); show(l); }
  }, { passive: false });
})();
