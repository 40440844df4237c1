/* Practice: the self-checks one card at a time, scheduled in Leitner boxes.
 *
 * The page itself lists every card as a folded <details class="practice-card"> with its
 * answer (readable without scripts). This script reads those elements and their data-
 * fields, and builds the one-card view from copies of their nodes: no text is ever
 * parsed as HTML. The scheme is described on the page (docs/practice.md):
 * "Got it" moves a card up one box, "Not yet" back to box 1; each box has an interval.
 *
 * Progress lives in localStorage under one versioned key. A value that cannot be read,
 * or that an older version wrote, is removed and the page says so.
 */
(function () {
  "use strict";
  var KEY = "rlo-practice-v1";
  var VERSION = 1;
  var DAY = 24 * 60 * 60 * 1000;
  var INTERVAL_DAYS = [0, 0, 1, 3, 7, 16]; // by box; box 1 comes back in this session
  var TOP_BOX = 5;
  var LEARNED_BOX = 3;
  var GAP = 3; // a card just answered waits for this many others (when there are that many)

  var app = document.getElementById("practice-app");
  if (!app) return;

  var cards = Array.prototype.map.call(document.querySelectorAll("details.practice-card"), function (el, index) {
    return {
      id: el.getAttribute("data-card"),
      section: el.getAttribute("data-section"),
      sectionLabel: el.getAttribute("data-section-label"),
      terms: (el.getAttribute("data-terms") || "").split(" ").filter(Boolean),
      el: el,
      index: index,
    };
  });
  var termNames = {};
  cards.forEach(function (card) {
    Array.prototype.forEach.call(card.el.querySelectorAll(".practice-where a[href*='glossary/#']"), function (a) {
      var id = a.getAttribute("href").split("#")[1];
      if (id && !termNames[id]) termNames[id] = a.textContent;
    });
  });

  var storageWorks = true;
  var recent = []; // the cards answered last in this visit, newest last
  var filter = { section: "", term: "" };
  var ui = {};

  // --- stored progress -------------------------------------------------------------

  function empty() {
    return { version: VERSION, cards: {} };
  }

  function problemWith(data) {
    if (data === null || typeof data !== "object" || Array.isArray(data)) return "it is not a progress record";
    if (data.version !== VERSION) {
      return typeof data.version === "number" && data.version < VERSION
        ? "it was saved by an older version of this page"
        : "it has no version this page knows";
    }
    if (data.cards === null || typeof data.cards !== "object" || Array.isArray(data.cards)) return "it has no list of cards";
    var ids = Object.keys(data.cards);
    for (var i = 0; i < ids.length; i++) {
      var record = data.cards[ids[i]];
      if (!record || typeof record !== "object") return "card '" + ids[i] + "' has no record";
      if (!(record.box >= 1 && record.box <= TOP_BOX && record.box % 1 === 0)) return "card '" + ids[i] + "' is in no box 1 to 5";
      if (typeof record.due !== "number" || !isFinite(record.due)) return "card '" + ids[i] + "' has no due date";
    }
    return null;
  }

  function parse(text) {
    try {
      return { data: JSON.parse(text) };
    } catch (error) {
      return { problem: "it is not valid JSON" };
    }
  }

  function load() {
    var raw = null;
    try {
      raw = window.localStorage.getItem(KEY);
    } catch (error) {
      storageWorks = false;
      say("This browser does not let the page keep your progress; it lasts until you leave the page.");
      return empty();
    }
    if (raw === null) return empty();
    var parsed = parse(raw);
    var problem = parsed.problem || problemWith(parsed.data);
    if (problem) {
      try {
        window.localStorage.removeItem(KEY);
      } catch (error) {
        /* nothing more to do */
      }
      say("Your saved progress could not be read (" + problem + "), so it has been reset.");
      return empty();
    }
    return parsed.data;
  }

  function save() {
    if (!storageWorks) return;
    try {
      window.localStorage.setItem(KEY, JSON.stringify(state));
    } catch (error) {
      storageWorks = false;
      say("Your progress could not be saved in this browser; export it to keep it.");
    }
  }

  // --- the scheme ------------------------------------------------------------------

  function grade(card, gotIt) {
    var record = state.cards[card.id];
    var box = gotIt ? Math.min((record ? record.box : 1) + 1, TOP_BOX) : 1;
    var now = Date.now();
    state.cards[card.id] = { box: box, due: now + INTERVAL_DAYS[box] * DAY, seen: ((record && record.seen) || 0) + 1 };
    recent = recent.filter(function (id) {
      return id !== card.id;
    }).concat([card.id]).slice(-GAP);
    save();
  }

  function selected() {
    return cards.filter(function (card) {
      return (!filter.section || card.section === filter.section) && (!filter.term || card.terms.indexOf(filter.term) >= 0);
    });
  }

  // Due cards from the lowest box first, the longest overdue first within a box, then
  // new cards in reading order.
  function queue(now) {
    var due = [];
    var fresh = [];
    selected().forEach(function (card) {
      var record = state.cards[card.id];
      if (!record) fresh.push(card);
      else if (record.due <= now) due.push(card);
    });
    due.sort(function (a, b) {
      var ra = state.cards[a.id];
      var rb = state.cards[b.id];
      return ra.box - rb.box || ra.due - rb.due || a.index - b.index;
    });
    return due.concat(fresh);
  }

  function nextCard(now) {
    var order = queue(now);
    var waiting = order.filter(function (card) {
      return recent.indexOf(card.id) < 0;
    });
    return waiting[0] || order[0] || null;
  }

  // --- building the view (DOM APIs only) --------------------------------------------

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, attrs[name]);
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function copyOf(node) {
    var copy = node.cloneNode(true);
    if (copy.nodeType === 1) {
      copy.removeAttribute("id");
      Array.prototype.forEach.call(copy.querySelectorAll("[id]"), function (inner) {
        inner.removeAttribute("id");
      });
    }
    return copy;
  }

  function say(message) {
    if (ui.status) ui.status.textContent = message;
    else pending = message;
  }
  var pending = "";

  function option(select, value, label) {
    select.appendChild(el("option", { value: value }, label));
  }

  function build() {
    app.removeAttribute("hidden");
    ui.status = el("p", { class: "practice-status", role: "status", "aria-live": "polite" }, pending);

    var controls = el("div", { class: "practice-controls" });
    var sectionLabel = el("label", {}, "Section ");
    ui.section = el("select", { name: "section" });
    option(ui.section, "", "All sections");
    var sections = [];
    cards.forEach(function (card) {
      if (sections.indexOf(card.section) < 0) {
        sections.push(card.section);
        option(ui.section, card.section, card.sectionLabel);
      }
    });
    sectionLabel.appendChild(ui.section);
    var termLabel = el("label", {}, "Term ");
    ui.term = el("select", { name: "term" });
    option(ui.term, "", "All terms");
    Object.keys(termNames)
      .sort(function (a, b) {
        return termNames[a].localeCompare(termNames[b]);
      })
      .forEach(function (id) {
        option(ui.term, id, termNames[id]);
      });
    termLabel.appendChild(ui.term);
    [ui.section, ui.term].forEach(function (select) {
      select.addEventListener("change", function () {
        filter.section = ui.section.value;
        filter.term = ui.term.value;
        recent = [];
        render();
      });
    });
    var exportButton = el("button", { type: "button", class: "md-button" }, "Export progress");
    var importButton = el("button", { type: "button", class: "md-button" }, "Import progress");
    var resetButton = el("button", { type: "button", class: "md-button" }, "Reset progress");
    ui.file = el("input", { type: "file", accept: "application/json,.json", hidden: "", "aria-label": "Progress file to import" });
    exportButton.addEventListener("click", exportProgress);
    importButton.addEventListener("click", function () {
      ui.file.click();
    });
    ui.file.addEventListener("change", importProgress);
    resetButton.addEventListener("click", resetProgress);
    controls.appendChild(sectionLabel);
    controls.appendChild(termLabel);
    var tools = el("div", { class: "practice-tools" });
    [exportButton, importButton, resetButton, ui.file].forEach(function (node) {
      tools.appendChild(node);
    });

    ui.counts = el("p", { class: "practice-counts" });
    ui.card = el("section", { class: "practice-current", "aria-label": "Current card", tabindex: "-1" });
    ui.progress = el("table", { class: "practice-table" });
    var progressBox = el("div", { class: "practice-progress" });
    progressBox.appendChild(ui.progress);

    app.appendChild(ui.status);
    app.appendChild(controls);
    app.appendChild(ui.counts);
    app.appendChild(ui.card);
    var progressTitle = el("h2", { id: "progress" }, "Progress by section");
    app.appendChild(progressTitle);
    app.appendChild(progressBox);
    app.appendChild(tools);
    document.addEventListener("keydown", onKey);
  }

  function renderCard(card, now) {
    ui.card.textContent = "";
    ui.current = card;
    if (!card) {
      var later = selected()
        .map(function (c) {
          return state.cards[c.id];
        })
        .filter(Boolean)
        .map(function (r) {
          return r.due;
        })
        .sort(function (a, b) {
          return a - b;
        })[0];
      var text = "Nothing is due in this selection.";
      if (later) text += " The next card comes back on " + new Date(later).toLocaleDateString() + ".";
      ui.card.appendChild(el("p", { class: "practice-done" }, text));
      return;
    }
    var record = state.cards[card.id];
    ui.card.appendChild(el("p", { class: "practice-meta" }, card.sectionLabel + " · " + (record ? "box " + record.box : "new card")));
    var question = el("p", { class: "practice-question" });
    var summary = card.el.querySelector("summary");
    Array.prototype.forEach.call(summary.childNodes, function (node) {
      question.appendChild(copyOf(node));
    });
    ui.card.appendChild(question);
    var show = el("button", { type: "button", class: "md-button md-button--primary practice-show" }, "Show answer");
    var answer = el("div", { class: "practice-answer", hidden: "" });
    Array.prototype.forEach.call(card.el.childNodes, function (node) {
      if (node.nodeName !== "SUMMARY") answer.appendChild(copyOf(node));
    });
    var grades = el("div", { class: "practice-grades", hidden: "" });
    var notYet = el("button", { type: "button", class: "md-button practice-not-yet" }, "Not yet (1)");
    var gotIt = el("button", { type: "button", class: "md-button md-button--primary practice-got-it" }, "Got it (2)");
    notYet.addEventListener("click", function () {
      answerCard(false);
    });
    gotIt.addEventListener("click", function () {
      answerCard(true);
    });
    show.addEventListener("click", showAnswer);
    grades.appendChild(notYet);
    grades.appendChild(gotIt);
    ui.card.appendChild(show);
    ui.card.appendChild(answer);
    ui.card.appendChild(grades);
    ui.show = show;
    ui.answer = answer;
    ui.grades = grades;
  }

  function showAnswer() {
    if (!ui.current || !ui.answer.hidden) return;
    ui.answer.hidden = false;
    ui.grades.hidden = false;
    ui.show.hidden = true;
    ui.card.focus();
  }

  function answerCard(gotIt) {
    if (!ui.current || ui.answer.hidden) return;
    grade(ui.current, gotIt);
    render();
    ui.card.focus();
  }

  function renderCounts(now) {
    var review = 0;
    var fresh = 0;
    var later = 0;
    var learned = 0;
    selected().forEach(function (card) {
      var record = state.cards[card.id];
      if (!record) fresh += 1;
      else if (record.due <= now) review += 1;
      else later += 1;
      if (record && record.box >= LEARNED_BOX) learned += 1;
    });
    ui.counts.textContent =
      "Due now: " + review + " to review, " + fresh + " new. Coming back later: " + later + ". Learned: " + learned + " of " + selected().length + ".";
    ui.counts.setAttribute("data-review", String(review));
    ui.counts.setAttribute("data-new", String(fresh));
    ui.counts.setAttribute("data-later", String(later));
  }

  function renderProgress(now) {
    ui.progress.textContent = "";
    var head = el("tr");
    ["Section", "Cards", "Due now", "Learned"].forEach(function (title) {
      head.appendChild(el("th", { scope: "col" }, title));
    });
    ui.progress.appendChild(el("thead")).appendChild(head);
    var body = ui.progress.appendChild(el("tbody"));
    var rows = {};
    var order = [];
    cards.forEach(function (card) {
      if (!rows[card.section]) {
        rows[card.section] = { label: card.sectionLabel, total: 0, due: 0, learned: 0 };
        order.push(card.section);
      }
      var row = rows[card.section];
      var record = state.cards[card.id];
      row.total += 1;
      if (!record || record.due <= now) row.due += 1;
      if (record && record.box >= LEARNED_BOX) row.learned += 1;
    });
    order.forEach(function (section) {
      var row = rows[section];
      var tr = el("tr", { "data-section": section });
      tr.appendChild(el("th", { scope: "row" }, row.label));
      tr.appendChild(el("td", {}, String(row.total)));
      tr.appendChild(el("td", {}, String(row.due)));
      tr.appendChild(el("td", {}, String(row.learned)));
      body.appendChild(tr);
    });
  }

  function renderList() {
    var visible = {};
    var shown = selected();
    cards.forEach(function (card) {
      var on = shown.indexOf(card) >= 0;
      card.el.hidden = !on;
      if (on) visible[card.section] = true;
    });
    cards.forEach(function (card) {
      var heading = document.getElementById("practice-" + card.section);
      if (heading) heading.hidden = !visible[card.section];
    });
  }

  function render() {
    var now = Date.now();
    renderCounts(now);
    renderCard(nextCard(now), now);
    renderProgress(now);
    renderList();
  }

  // --- keyboard, export, import, reset ------------------------------------------------

  function onKey(event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var target = event.target;
    var tag = target && target.nodeName;
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA" || (target && target.isContentEditable)) return;
    if (!ui.current) return;
    var key = event.key;
    if ((key === " " || key === "Enter") && (tag === "BUTTON" || tag === "A" || tag === "SUMMARY")) return; // their own action
    if ((key === " " || key === "Enter") && ui.answer.hidden) {
      event.preventDefault();
      showAnswer();
    } else if ((key === "1" || key === "2") && !ui.answer.hidden) {
      event.preventDefault();
      answerCard(key === "2");
    }
  }

  function exportProgress() {
    var blob = new Blob([JSON.stringify(state, null, 2) + "\n"], { type: "application/json" });
    var url = URL.createObjectURL(blob);
    var link = el("a", { href: url, download: "practice-progress.json" });
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () {
      URL.revokeObjectURL(url);
    }, 1000);
    say("Progress exported (" + Object.keys(state.cards).length + " cards answered).");
  }

  function importProgress() {
    var file = ui.file.files && ui.file.files[0];
    if (!file) return;
    var reader = new FileReader();
    reader.onload = function () {
      var parsed = parse(String(reader.result));
      var problem = parsed.problem || problemWith(parsed.data);
      if (problem) {
        say("That file could not be imported (" + problem + "); your progress is unchanged.");
      } else {
        state = parsed.data;
        recent = [];
        save();
        render();
        say("Progress imported (" + Object.keys(state.cards).length + " cards answered).");
      }
      ui.file.value = "";
    };
    reader.readAsText(file);
  }

  function resetProgress() {
    if (!window.confirm("Forget your progress on every card? Export it first if you want to keep it.")) return;
    state = empty();
    recent = [];
    save();
    render();
    say("Progress reset: every card is new again.");
  }

  var state = load();
  build();
  render();
})();
