// speechdraft editor: unsaved-change tracking, Ctrl+S, local drafts, drag to reorder.
//
// Staff keep this page open for days, so nothing typed may be lost: not to a closed tab,
// not to a reload, not to an htmx swap of the list an item sits in. Every unit is a
// <div class="unit" id="..."> holding one <form class="unit-form"> that htmx saves in
// place; the server stays the source of truth and this file only keeps what the user
// typed until the server has it. No inline scripts: data comes from data-* attributes.
(function () {
  "use strict";

  var editor = document.querySelector("[data-speech-id]");
  if (!editor) return;
  var speechId = editor.dataset.speechId;
  var STORE = "speechdraft:draft:" + speechId + ":";

  // --- Units and their fields

  function unitForm(unit) {
    return unit && unit.querySelector("form.unit-form");
  }

  // The fields a user types into; the version and the CSRF token are not theirs.
  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      return field.name && field.name !== "version" && field.name !== "csrfmiddlewaretoken" &&
        /^(textarea|select|input)$/i.test(field.tagName) &&
        !/^(hidden|submit|button)$/i.test(field.type);
    });
  }

  function values(form) {
    var result = {};
    fields(form).forEach(function (field) { result[field.name] = field.value; });
    return result;
  }

  function applyValues(form, stored) {
    fields(form).forEach(function (field) {
      if (Object.prototype.hasOwnProperty.call(stored, field.name)) field.value = stored[field.name];
    });
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function unitsIn(root) {
    if (!root || !root.querySelectorAll) return [];
    var units = Array.prototype.slice.call(root.querySelectorAll(".unit"));
    if (root.classList && root.classList.contains("unit")) units.unshift(root);
    return units.filter(function (unit) { return unit.id && unitForm(unit); });
  }

  // --- Local drafts: localStorage, keyed by speech + unit + the version the text was
  // typed against, so a draft restored after someone else saved still meets the
  // conflict view instead of overwriting their text.

  function draftKeys(unit) {
    var prefix = STORE + unit.id + ":";
    var keys = [];
    try {
      for (var i = 0; i < localStorage.length; i++) {
        var key = localStorage.key(i);
        if (key && key.indexOf(prefix) === 0) keys.push(key);
      }
    } catch (error) { /* storage disabled: drafts are a convenience, saving still works */ }
    return keys;
  }

  function clearDrafts(unit) {
    draftKeys(unit).forEach(function (key) { localStorage.removeItem(key); });
  }

  function storeDraft(unit) {
    var form = unitForm(unit);
    try {
      clearDrafts(unit);
      localStorage.setItem(STORE + unit.id + ":" + form.elements.version.value,
        JSON.stringify({ fields: values(form), at: Date.now() }));
    } catch (error) { /* full or disabled storage: nothing more we can keep */ }
  }

  function readDraft(unit) {
    var key = draftKeys(unit)[0];
    if (!key) return null;
    try {
      var draft = JSON.parse(localStorage.getItem(key));
      draft.version = key.slice(key.lastIndexOf(":") + 1);
      return draft;
    } catch (error) {
      localStorage.removeItem(key);
      return null;
    }
  }

  // --- Dirty state: a unit with text the server does not have yet.

  function setDirty(unit, dirty) {
    unit.classList.toggle("is-dirty", dirty);
    var status = unit.querySelector(".save-status");
    if (status && dirty) {
      status.textContent = "有未保存的修改";
      status.classList.remove("text-success");
    }
  }

  function anyDirty() {
    return document.querySelector(".unit.is-dirty") !== null;
  }

  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form.unit-form");
    if (!form) return;
    var unit = form.closest(".unit");
    setDirty(unit, true);
    storeDraft(unit);
  });

  // The conflict view's "改用当前内容" fills the fields without an input event.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".take-current");
    if (!button) return;
    var unit = button.closest(".unit");
    setDirty(unit, true);
    storeDraft(unit);
  });

  // Leaving with unsaved text: the browser asks (its own wording; ours is not shown).
  window.addEventListener("beforeunload", function (event) {
    if (!anyDirty()) return;
    event.preventDefault();
    event.returnValue = "";
  });

  // --- Ctrl+S (⌘S): save the unit being edited, else every unit with unsaved text.

  document.addEventListener("keydown", function (event) {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.key.toLowerCase() !== "s") return;
    event.preventDefault();  // the browser's "save page" is never what is meant here
    var focused = document.activeElement && document.activeElement.closest(".unit");
    var units = focused && unitForm(focused) ? [focused]
      : Array.prototype.slice.call(document.querySelectorAll(".unit.is-dirty"));
    units.forEach(function (unit) { unitForm(unit).requestSubmit(); });
  });

  // --- Keeping typed text through htmx swaps
  //
  // A save swaps its unit; adding, moving or deleting an item swaps the whole list with
  // every unit in it. Text typed while a request was on its way, or unsaved text in the
  // other units of a swapped list, is carried over into the new elements.

  var carried = {};
  var focusMemory = null;

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (form.matches && form.matches("form.unit-form")) form.dataset.sent = JSON.stringify(values(form));
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    var ok = event.detail.xhr.status === 200;
    carried = {};
    unitsIn(event.detail.target).forEach(function (unit) {
      var form = unitForm(unit);
      var now = values(form);
      if (form === source) {
        if (ok) clearDrafts(unit);
        // 200: the server has what was sent; 409/422: the response carries it back.
        if (form.dataset.sent !== JSON.stringify(now)) carried[unit.id] = now;
      } else if (unit.classList.contains("is-dirty")) {
        carried[unit.id] = now;
      }
    });
    // htmx restores focus to fields by id; a move button has none, so remember it.
    var active = document.activeElement;
    focusMemory = null;
    if (active && active.tagName === "BUTTON" && active.name && event.detail.target.contains(active)) {
      var unit = active.closest(".unit");
      if (unit) focusMemory = { unit: unit.id, name: active.name, value: active.value };
    }
  });

  // After settling, not swapping: while settling htmx gives a swapped element with a
  // known id its old attributes back for a moment, which would undo our classes.
  document.addEventListener("htmx:afterSettle", function (event) {
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    var sourceUnit = source && source.matches && source.matches("form.unit-form") &&
      event.detail.xhr.status !== 200 ? source.closest(".unit") : null;
    Object.keys(carried).forEach(function (id) {
      var unit = document.getElementById(id);
      if (!unit || !unitForm(unit)) return;
      applyValues(unitForm(unit), carried[id]);
      setDirty(unit, true);
      storeDraft(unit);
    });
    // A refused save (conflict, invalid input) comes back holding the user's text.
    if (sourceUnit) {
      var swapped = document.getElementById(sourceUnit.id);
      if (swapped && unitForm(swapped)) {
        setDirty(swapped, true);
        storeDraft(swapped);
      }
    }
    carried = {};
    restoreFocus();
    unitsIn(event.detail.elt).forEach(offerDraft);
  });

  function restoreFocus() {
    var memory = focusMemory;
    focusMemory = null;
    var unit = memory && document.getElementById(memory.unit);
    if (!unit) return;
    var buttons = unit.querySelectorAll("button[name]:not([disabled])");
    var exact = Array.prototype.filter.call(buttons, function (button) {
      return button.name === memory.name && button.value === memory.value;
    });
    var target = exact[0] || buttons[0];
    if (target) target.focus();
  }

  // --- Offering a stored draft back when the page (or a swapped list) shows a unit

  function offerDraft(unit) {
    if (unit.classList.contains("is-dirty") || unit.querySelector(".draft-offer")) return;
    var draft = readDraft(unit);
    if (!draft || !draft.fields) return;
    var form = unitForm(unit);
    if (same(draft.fields, values(form))) {
      clearDrafts(unit);
      return;
    }
    var stale = draft.version !== form.elements.version.value;
    var offer = document.createElement("div");
    offer.className = "draft-offer alert alert-info py-2 px-3 mb-2";
    offer.setAttribute("role", "alert");
    var text = document.createElement("span");
    text.className = "me-2";
    var at = new Date(draft.at);
    var time = isNaN(at) ? "" : " " + String(at.getHours()).padStart(2, "0") + ":" +
      String(at.getMinutes()).padStart(2, "0");
    text.textContent = "恢复未保存的内容？这里有您" + time + " 输入但尚未保存的文字。" +
      (stale ? "此后他人保存过这段内容，恢复后保存时会显示对比。" : "");
    var restore = document.createElement("button");
    restore.type = "button";
    restore.className = "btn btn-sm btn-primary me-1 draft-restore";
    restore.textContent = "恢复";
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "btn btn-sm btn-outline-dark draft-discard";
    discard.textContent = "放弃";
    offer.append(text, restore, discard);
    form.parentNode.insertBefore(offer, form);

    restore.addEventListener("click", function () {
      applyValues(form, draft.fields);
      // Saved against the version it was typed on: the server shows a conflict if needed.
      form.elements.version.value = draft.version;
      offer.remove();
      setDirty(unit, true);
      var first = fields(form)[0];
      if (first) first.focus();
    });
    discard.addEventListener("click", function () {
      clearDrafts(unit);
      offer.remove();
    });
  }

  unitsIn(editor).forEach(offerDraft);

  // --- Drag to reorder items. The ↑/↓ buttons stay the keyboard way; a drop posts the
  // new position to the same item-move URL and htmx swaps the renumbered list.

  var dragged = null;

  function clearDropMarks() {
    document.querySelectorAll(".drop-before, .drop-after").forEach(function (card) {
      card.classList.remove("drop-before", "drop-after");
    });
  }

  function dropCard(event) {
    var card = event.target.closest && event.target.closest(".item-card");
    return dragged && card && card !== dragged && card.parentNode === dragged.parentNode ? card : null;
  }

  function cardsOf(list) {
    return Array.prototype.filter.call(list.children, function (child) {
      return child.classList.contains("item-card");
    });
  }

  document.addEventListener("dragstart", function (event) {
    var handle = event.target.closest && event.target.closest(".drag-handle");
    if (!handle) return;
    dragged = handle.closest(".item-card");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.dataset.itemId);
    event.dataTransfer.setDragImage(dragged, 16, 16);
    dragged.classList.add("is-dragging");
  });

  document.addEventListener("dragover", function (event) {
    var card = dropCard(event);
    if (!card) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    var cards = cardsOf(card.parentNode);
    clearDropMarks();
    card.classList.add(cards.indexOf(card) < cards.indexOf(dragged) ? "drop-before" : "drop-after");
  });

  document.addEventListener("drop", function (event) {
    var card = dropCard(event);
    if (!card) return;
    event.preventDefault();
    // The dragged item takes the place of the one it is dropped on.
    var position = cardsOf(card.parentNode).indexOf(card) + 1;
    var move = dragged.querySelector("form[action*='/move/']");
    clearDropMarks();
    // The list is the source, not the move form: htmx would also send the ↑/↓ button
    // last clicked in that form, and the view reads a direction before a position.
    htmx.ajax("POST", move.getAttribute("action"), {
      source: card.parentNode,
      target: card.parentNode,
      swap: "outerHTML",
      values: { position: position, csrfmiddlewaretoken: move.elements.csrfmiddlewaretoken.value }
    });
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("is-dragging");
    dragged = null;
    clearDropMarks();
  });
})();
