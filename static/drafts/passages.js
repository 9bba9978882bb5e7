// Comments on a passage (批注所选文字, issue 14): select words in a field's box on the
// editing page, or in the delivered text of the preview, and comment on them.
//
// A selection names its field and its characters: in the editor, the box's
// selectionStart/End (the box holds the field's text); in the preview, the stretches
// the server wrote with data-anchor, data-field and data-at (where the stretch starts
// in its field, see passages.place). The comment form gets field, start, end and
// quote; the server checks the words against the field as stored. Offsets count code
// points, as the server does: a character outside the BMP is two units in JavaScript.
(function () {
  "use strict";

  var selected = null;  // the last selection that makes a passage, and its button
  var shown = null;     // the .passage-button shown for it

  function length(text) {
    return Array.from(text).length;
  }

  // The JavaScript index of code point number `count` of `text`.
  function unitsFor(text, count) {
    return Array.from(text).slice(0, count).join("").length;
  }

  function isTextBox(node) {
    return node && (node.tagName === "TEXTAREA" || (node.tagName === "INPUT" && node.type === "text"));
  }

  // --- The editing page: a selection in a unit's box

  function fromBox(box) {
    var unit = box.closest(".unit");
    var comments = unit && unit.querySelector(".unit-comments");
    if (!comments || !box.closest("form.unit-form")) return null;
    var start = box.selectionStart;
    var end = box.selectionEnd;
    if (typeof start !== "number" || end <= start) return null;
    // A text unit's one box is named "text"; the comment names its column.
    var column = box.name === "text" ? comments.dataset.textField : box.name;
    if (!column || !box.value.slice(start, end).trim()) return null;
    return {
      anchor: comments.dataset.anchor,
      field: column,
      start: length(box.value.slice(0, start)),
      end: length(box.value.slice(0, end)),
      quote: box.value.slice(start, end),
      button: comments.querySelector(".passage-button")
    };
  }

  // --- The preview: a selection in the delivered text
  //
  // Each paragraph carries, in its span.passage-pieces, where fields read in it:
  // [start, end, anchor, field, at], offsets into the paragraph's text (its line
  // breaks, a title's, are <br> here and "\n" there).

  function inside(node, element) {
    return element === node || element.contains(node);
  }

  // Where a point (node, offset) is in paragraph `p`, counted as the server counts it.
  function offsetIn(p, node, offset) {
    var before = document.createRange();
    before.selectNodeContents(p);
    before.setEnd(node, offset);
    return length(before.toString()) + before.cloneContents().querySelectorAll("br").length;
  }

  function textOf(p) {
    var text = "";
    var walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    while (walker.nextNode()) {
      var node = walker.currentNode;
      if (node.nodeType === 3) text += node.data;
      else if (node.tagName === "BR") text += "\n";
    }
    return Array.from(text);
  }

  function fromPaper(paper) {
    var selection = document.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
    var range = selection.getRangeAt(0);
    var found = null;
    var quote = "";
    var failed = false;
    Array.prototype.forEach.call(paper.querySelectorAll("p.sp"), function (p) {
      var carrier = p.querySelector(".passage-pieces");
      if (failed || !carrier || !range.intersectsNode(p)) return;
      var chars = textOf(p);
      var lo = inside(range.startContainer, p) ? offsetIn(p, range.startContainer, range.startOffset) : 0;
      var hi = inside(range.endContainer, p) ? offsetIn(p, range.endContainer, range.endOffset) : chars.length;
      JSON.parse(carrier.dataset.pieces).forEach(function (piece) {
        var from = Math.max(lo, piece[0]);
        var to = Math.min(hi, piece[1]);
        if (failed || from >= to) return;
        if (found && (found.anchor !== piece[2] || found.field !== piece[3])) {
          failed = true;  // one passage is words of one field
          return;
        }
        var start = piece[4] + from - piece[0];
        if (!found) found = { anchor: piece[2], field: piece[3], start: start, row: p.closest(".preview-row") };
        found.end = start + to - from;
        quote += chars.slice(from, to).join("");
      });
    });
    if (failed || !found || !quote.trim()) return null;
    return {
      anchor: found.anchor,
      field: found.field,
      start: found.start,
      end: found.end,
      quote: quote,
      button: found.row && found.row.querySelector(".passage-button")
    };
  }

  // --- The button that comments on the selection

  function offer(passage) {
    if (shown && (!passage || shown !== passage.button)) shown.hidden = true;
    selected = passage && passage.button && formFor(passage.anchor) ? passage : null;
    shown = selected ? selected.button : null;
    if (!shown) return;
    shown.hidden = false;
    shown.textContent = "批注所选文字「" + shorten(selected.quote, 12) + "」";
  }

  function shorten(text, size) {
    var chars = Array.from(text.replace(/\s+/g, " ").trim());
    return chars.length > size ? chars.slice(0, size).join("") + "…" : chars.join("");
  }

  function track(event) {
    var target = event.target;
    if (isTextBox(target)) {
      offer(fromBox(target));
      return;
    }
    var paper = target.closest && target.closest(".paper");
    if (paper) offer(fromPaper(paper));
  }

  ["mouseup", "keyup", "select"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      if (event.target.closest && event.target.closest(".passage-button")) return;
      // After the browser has settled the selection (a click into it collapses it).
      setTimeout(function () { track(event); }, 0);
    });
  });

  // A selection made with the keyboard in the preview (the text takes no key events).
  var settling = null;
  document.addEventListener("selectionchange", function () {
    clearTimeout(settling);
    settling = setTimeout(function () {
      var selection = document.getSelection();
      var node = selection && selection.anchorNode;
      var element = node && (node.nodeType === 1 ? node : node.parentElement);
      var paper = element && element.closest(".paper");
      var passage = paper && fromPaper(paper);
      if (passage) offer(passage);  // a collapsed one hides nothing: the click may be on its way
    }, 150);
  });

  // Pressing the button keeps the selection (and the box's focus) it is about.
  document.addEventListener("mousedown", function (event) {
    if (event.target.closest && event.target.closest(".passage-button")) event.preventDefault();
  });

  // The form for a new comment on the unit `anchor`: a unit's own, or the one beside
  // the first paragraph of the unit in the preview.
  function formFor(anchor) {
    var forms = document.querySelectorAll("form.comment-form");
    for (var i = 0; i < forms.length; i++) {
      var box = forms[i].elements.anchor;
      if (!box) continue;
      if (box.tagName === "SELECT") {
        if (Array.prototype.some.call(box.options, function (o) { return o.value === anchor; })) return forms[i];
      } else if (box.value === anchor) {
        return forms[i];
      }
    }
    return null;
  }

  function setPassage(form, passage) {
    form.elements.field.value = passage ? passage.field : "";
    form.elements.start.value = passage ? passage.start : "";
    form.elements.end.value = passage ? passage.end : "";
    form.elements.quote.value = passage ? passage.quote : "";
    var line = form.querySelector(".comment-passage");
    if (line) {
      line.hidden = !passage;
      line.querySelector(".comment-passage-quote").textContent = passage ? shorten(passage.quote, 60) : "";
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".passage-button");
    if (button && selected && selected.button === button) {
      var passage = selected;
      var form = formFor(passage.anchor);
      if (!form) return;
      if (form.elements.anchor.tagName === "SELECT") form.elements.anchor.value = passage.anchor;
      setPassage(form, passage);
      var details = form.closest("details");
      if (details) details.open = true;
      offer(null);  // used: the form now says which words
      form.elements.text.focus();
      form.scrollIntoView({ block: "nearest" });
      return;
    }
    var clear = event.target.closest && event.target.closest(".comment-passage-clear");
    if (clear) {
      setPassage(clear.closest("form"), null);
      return;
    }
    var quote = event.target.closest && event.target.closest(".comment-quote");
    if (quote) showWords(quote);
  });

  // Another place chosen in the preview's form: the passage was of the one before.
  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form.comment-form");
    if (form && event.target.name === "anchor") setPassage(form, null);
  });

  // --- A comment's words: selected in their box, or their mark shown

  function showWords(quote) {
    var mark = document.querySelector('mark.passage[data-comments~="' + quote.dataset.comment + '"]');
    if (mark) {
      mark.scrollIntoView({ block: "center" });
      mark.classList.add("passage-flash");
      setTimeout(function () { mark.classList.remove("passage-flash"); }, 1500);
      return;
    }
    var comments = document.querySelector('.unit-comments[data-anchor="' + quote.dataset.anchor + '"]');
    var unit = comments && comments.closest(".unit");
    var form = unit && unit.querySelector("form.unit-form");
    if (!form) return;
    var name = comments.dataset.textField === quote.dataset.field ? "text" : quote.dataset.field;
    var box = form.elements[name];
    if (!isTextBox(box)) return;
    var words = quote.dataset.quote;
    var start = unitsFor(box.value, Number(quote.dataset.start));
    if (box.value.slice(start, start + words.length) !== words) {
      // Typed around since the page was made: the occurrence nearest the place.
      var best = -1;
      for (var at = box.value.indexOf(words); at !== -1; at = box.value.indexOf(words, at + 1)) {
        if (best === -1 || Math.abs(at - start) < Math.abs(best - start)) best = at;
      }
      if (best === -1) return;
      start = best;
    }
    box.focus();
    box.setSelectionRange(start, start + words.length);
  }
})();
