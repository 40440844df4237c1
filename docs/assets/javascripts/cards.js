/* Hover cards: one component for glossary terms and for citations.
 *
 * A glossary link (a.gloss, href="…glossary/#<id>") shows its definition, read from
 * the page itself (scripts/glossary_html.py): the <dd> after the "Terms on this page" <dt> whose
 * link names the same entry, or, on a page without that list, a hidden span.gloss-def.
 * That list arrives folded as the text of a <noscript> (no elements until it is needed);
 * unfoldTerms below makes it the list when the reader opens it, prints, follows a link
 * into it, or when the first glossary card needs a definition. A
 * citation (a.cite, href="#ref-<key>") shows the full reference from the page's own
 * References list (scripts/citations.py) and the place cited: what follows the year in
 * the citation's text ("Hubinger et al. 2019a, sec. 3.2" -> "sec. 3.2").
 *
 * Content on hover or focus, as WCAG 1.4.13 asks:
 * - it opens on hover, on keyboard focus and on a first tap (touch); a second tap on the
 *   same link, or the link in the card, follows it;
 * - it stays open while the pointer is on the link or the card, and while the reader
 *   scrolls, until the link leaves the window; Escape or a tap elsewhere closes it;
 * - it is always inside the window: below the link, or above it near the bottom edge,
 *   shifted in from the sides, and scrolling inside itself if it is taller than the room.
 * Nothing here reads HTML from anywhere but this page, and nothing leaves the page.
 */
(function () {
  "use strict";
  var GAP = 6;
  var MARGIN = 8;
  var CLOSE_DELAY = 250;
  var card = null;
  var owner = null;
  var closeTimer = 0;
  var lastPointer = "mouse";
  var side = "";
  /* Content that scrolls under a still pointer gets mouseover and mouseout events too,
     at the pointer's last position: those are not the reader moving, and are ignored. */
  var lastX = -1;
  var lastY = -1;
  function stillPointer(e) { return Math.abs(e.clientX - lastX) < 2 && Math.abs(e.clientY - lastY) < 2; }  // "below" or "above" the link, kept while the reader scrolls a little

  /* The "Terms on this page" list (scripts/glossary_html.py, fill_terms) is built inside a
     <noscript> in its closed <details>. With JavaScript on, the browser keeps that as one
     text node: the folded list costs the page no elements (some 90 on a notes page), and
     most readers never open it. unfoldTerms parses the text (DOMParser, a document of its
     own that runs nothing) and puts the <dl> where the noscript was, once, the first time
     the list is needed: the reader opens it or prints the page, the address names an id
     inside it, or a glossary card needs a definition. Lazily rather than at idle after
     load, which would put the elements back on every page for every reader. Parsing,
     checking and inserting the 30 definitions of the longest list takes 2–3 ms in Chromium
     on a slow shared machine, so the first card still opens at once.
     The text is the page's own built markup (the build's policy and the site scan keep
     scripts and handlers out of it); even so the list goes in only if it is one <dl> of
     the tags and attributes below, with links that stay on the web or in the bundle. */
  var LIST_TAGS = ["DL", "DT", "DD", "A", "EM", "STRONG", "CODE", "SPAN", "SUB", "SUP"];
  var LIST_ATTRS = ["class", "href", "id", "title", "lang"];
  var LINK_SCHEMES = ["http:", "https:", "file:"];
  var unfolded = false;

  function safeList(body) {
    var dl = body.firstElementChild;
    if (!dl || dl.tagName !== "DL" || body.childElementCount !== 1) return null;
    for (var node = body.firstChild; node; node = node.nextSibling) {
      if (node !== dl && (node.nodeType !== 3 || /\S/.test(node.nodeValue))) return null;
    }
    var base = document.baseURI;
    var all = [dl].concat(Array.prototype.slice.call(dl.getElementsByTagName("*")));
    for (var i = 0; i < all.length; i++) {
      var el = all[i];
      if (el.namespaceURI !== "http://www.w3.org/1999/xhtml" || LIST_TAGS.indexOf(el.tagName) < 0) return null;
      for (var j = 0; j < el.attributes.length; j++) {
        var attr = el.attributes[j];
        if (LIST_ATTRS.indexOf(attr.name) < 0 && attr.name.indexOf("aria-") !== 0) return null;
        if (attr.name === "href") {
          var url;
          try { url = new URL(attr.value, base); } catch (error) { return null; }
          if (LINK_SCHEMES.indexOf(url.protocol) < 0) return null;
        }
      }
    }
    return dl;
  }

  function unfoldTerms() {
    if (unfolded) return;
    unfolded = true;
    document.querySelectorAll("details.gloss-terms > noscript").forEach(function (hold) {
      var parsed = new DOMParser().parseFromString(hold.textContent, "text/html");
      var dl = safeList(parsed.body);
      if (dl) hold.parentNode.replaceChild(document.adoptNode(dl), hold);
    });
  }

  function followHash() {  // an address whose #id is inside the folded list
    var id = "";
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (error) { return; }
    if (!id) return;
    if (!document.getElementById(id)) unfoldTerms();
    var target = document.getElementById(id);
    var details = target && target.closest("details.gloss-terms");
    if (!details || details.open) return;
    details.open = true;
    target.scrollIntoView();
  }

  var kinds = [
    {
      selector: "a.gloss",
      fill: function (link, body) {
        var id = entryId(link);
        if (!id) return null;
        unfoldTerms();
        var name = null;
        var source = null;
        document.querySelectorAll("dl.gloss-terms__list > dt > a").forEach(function (a) {
          var dd = a.parentElement.nextElementSibling;
          if (!source && entryId(a) === id && dd && dd.tagName === "DD") { source = dd; name = a.textContent; }
        });
        document.querySelectorAll("span.gloss-def").forEach(function (s) {
          if (!source && s.getAttribute("data-gloss-id") === id) { source = s; name = s.getAttribute("data-gloss-term"); }
        });
        if (!source) return null;
        var term = document.createElement("strong");
        term.className = "card__title";
        term.textContent = name || link.textContent;
        var text = document.createElement("p");
        text.textContent = source.textContent;
        body.append(term, text);
        return { href: link.getAttribute("href"), more: "Read the glossary entry" };
      }
    },
    {
      selector: "a.cite",
      fill: function (link, body) {
        var href = link.getAttribute("href") || "";
        if (href.charAt(0) !== "#") return null;
        var entry = document.getElementById(decodeURIComponent(href.slice(1)));
        if (!entry) return null;
        var source = entry.querySelector("p") || entry;  // a Bibliography entry's <p>, or the page's <li>
        var text = document.createElement("p");
        text.className = "card__reference";
        source.childNodes.forEach(function (node) {  // the reference without its back-links (↩)
          if (node.nodeType === 1 && node.classList.contains("ref-back")) return;
          text.appendChild(node.cloneNode(true));
        });
        if (text.lastChild && text.lastChild.nodeType === 3) text.lastChild.nodeValue = text.lastChild.nodeValue.replace(/\s+$/, "");
        var place = /(?:\d{4}[a-z]?|n\.d\.(?:-[a-z])?), (.+)$/.exec(link.textContent);
        var loc = place && place[1];
        if (loc) {
          var where = document.createElement("p");
          where.className = "card__locator";
          where.textContent = "Cited here: " + loc;
          body.append(text, where);
        } else {
          body.append(text);
        }
        return { href: href, more: "Go to the reference" };
      }
    }
  ];

  function entryId(link) {  // "mesa-optimizer" from href="../glossary/#mesa-optimizer"
    var href = link.getAttribute("href") || "";
    var hash = href.indexOf("#");
    return hash < 0 ? "" : decodeURIComponent(href.slice(hash + 1));
  }

  function kindOf(el) {
    for (var i = 0; i < kinds.length; i++) {
      var link = el && el.closest ? el.closest(kinds[i].selector) : null;
      if (link) return { link: link, kind: kinds[i] };
    }
    return null;
  }

  function make() {
    if (card) return card;
    card = document.createElement("div");
    card.className = "rlo-card";
    card.id = "rlo-card";
    card.setAttribute("role", "tooltip");
    card.hidden = true;
    card.addEventListener("mouseenter", cancelClose);
    card.addEventListener("mouseleave", function (e) { if (lastPointer === "mouse" && !stillPointer(e)) closeSoon(); });
    document.body.appendChild(card);
    return card;
  }

  function open(found) {
    cancelClose();
    if (owner === found.link && !card.hidden) return;
    var el = make();
    var body = document.createElement("div");
    body.className = "card__body";
    var result = found.kind.fill(found.link, body);
    if (!result) return;
    close();
    var more = document.createElement("a");
    more.className = "card__more";
    more.href = result.href;
    more.textContent = result.more;
    el.replaceChildren(body, more);
    el.dataset.kind = found.kind.selector.split(".")[1].split("[")[0];
    el.hidden = false;
    side = "";
    owner = found.link;
    owner.setAttribute("aria-describedby", el.id);
    place();
  }

  function close() {
    cancelClose();
    if (!card || card.hidden) return;
    card.hidden = true;
    if (owner) owner.removeAttribute("aria-describedby");
    owner = null;
  }

  function closeSoon() {
    cancelClose();
    closeTimer = window.setTimeout(close, CLOSE_DELAY);
  }

  function cancelClose() {
    if (closeTimer) window.clearTimeout(closeTimer);
    closeTimer = 0;
  }

  /* Keep the card inside the window, beside the line of the link nearest to it. */
  function place() {
    if (!card || card.hidden || !owner) return;
    var width = document.documentElement.clientWidth;
    var height = document.documentElement.clientHeight;
    var lines = owner.getClientRects();
    if (!lines.length) { close(); return; }
    var first = lines[0];
    var last = lines[lines.length - 1];
    if (last.bottom < 0 || first.top > height) { close(); return; }  // the link has left the window
    card.style.maxHeight = "";
    card.style.left = "0px";
    card.style.top = "0px";
    var box = card.getBoundingClientRect();
    var below = height - last.bottom - GAP - MARGIN;
    var above = first.top - GAP - MARGIN;
    var top;
    var fitsBelow = box.height <= below;
    var fitsAbove = box.height <= above;
    if (fitsBelow && fitsAbove) side = side || "below";  // keep the side it opened on while it fits
    else side = fitsBelow ? "below" : fitsAbove ? "above" : "";
    if (side === "below") {
      top = last.bottom + GAP;
    } else if (side === "above") {
      top = first.top - GAP - box.height;
    } else if (below >= above) {
      card.style.maxHeight = Math.max(below, 48) + "px";
      top = last.bottom + GAP;
    } else {
      card.style.maxHeight = Math.max(above, 48) + "px";
      top = first.top - GAP - Math.min(box.height, Math.max(above, 48));
    }
    var anchor = side === "below" || (!side && below >= above) ? last : first;
    var left = Math.min(anchor.left, width - box.width - MARGIN);
    card.style.left = Math.max(MARGIN, left) + "px";
    card.style.top = Math.max(MARGIN, top) + "px";
  }

  document.addEventListener("pointerdown", function (e) {
    lastPointer = e.pointerType || "mouse";
    if (card && !card.hidden && !card.contains(e.target) && !(owner && owner.contains(e.target))) close();
  }, true);
  document.addEventListener("pointermove", function (e) {
    lastPointer = e.pointerType || "mouse";
    if (stillPointer(e)) return;
    lastX = e.clientX;
    lastY = e.clientY;
    if (lastPointer !== "mouse" || !owner || !card || card.hidden) return;
    if (owner.contains(e.target) || card.contains(e.target)) cancelClose();
    else if (!closeTimer) closeSoon();
  }, { passive: true });
  document.addEventListener("mouseover", function (e) {
    if (lastPointer !== "mouse" || stillPointer(e)) return;
    var found = kindOf(e.target);
    if (found) open(found);
  });
  document.addEventListener("mouseout", function (e) {
    if (lastPointer !== "mouse" || !owner || stillPointer(e)) return;
    var found = kindOf(e.target);
    if (!found || found.link !== owner) return;
    var to = e.relatedTarget;
    if (to && (owner.contains(to) || (card && card.contains(to)))) return;
    closeSoon();
  });
  document.addEventListener("focusin", function (e) {
    if (card && card.contains(e.target)) { cancelClose(); return; }
    if (lastPointer === "touch" || lastPointer === "pen") return;  // the tap itself decides (click)
    var found = kindOf(e.target);
    if (found) open(found);
    else close();
  });
  document.addEventListener("focusout", function (e) {
    var to = e.relatedTarget;
    if (!owner || (to && ((card && card.contains(to)) || owner.contains(to)))) return;
    if (kindOf(e.target) && lastPointer !== "touch" && lastPointer !== "pen") close();
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Tab" || e.key === "Enter") lastPointer = "keyboard";
    if (e.key === "Escape" && card && !card.hidden) {
      var was = owner;
      close();
      if (was && card.contains(document.activeElement)) was.focus();
    }
  });
  /* Touch: the first tap shows the card; a second tap on the same link follows it. */
  document.addEventListener("click", function (e) {
    if (lastPointer !== "touch" && lastPointer !== "pen") return;
    var found = kindOf(e.target);
    if (!found) return;
    if (owner !== found.link || card.hidden) {
      e.preventDefault();
      open(found);
    }
  });
  /* The terms list: unfolded before a click on its summary opens it (no empty frame), and
     whenever it opens some other way (the toggle event comes after); before printing. */
  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("details.gloss-terms > summary")) unfoldTerms();
  }, true);
  document.addEventListener("toggle", function (e) {
    if (e.target.matches && e.target.matches("details.gloss-terms") && e.target.open) unfoldTerms();
  }, true);
  window.addEventListener("beforeprint", unfoldTerms);
  window.addEventListener("hashchange", followHash);
  if (document.querySelector("details.gloss-terms[open]")) unfoldTerms();  // opened before this script ran
  followHash();
  window.addEventListener("scroll", function () { window.requestAnimationFrame(place); }, { passive: true });
  window.addEventListener("resize", function () { window.requestAnimationFrame(place); });
})();
