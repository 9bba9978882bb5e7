// speechdraft 校对 on the editing page (issue 15): each field's findings as the drafter
// types, marked in the text and listed under the field with 定位 / 一键修改 / 忽略.
//
// A text box holds no markup, so the marks are drawn on a mirror layer behind the box
// (aria-hidden: for the eye only), and the list under the field says the same in words,
// for the keyboard and for screen readers; the message of the finding at the caret is
// read out as the caret reaches it. A field is checked by the server (drafts/views/
// proofreading.py) a moment after typing stops, with its text as typed. A fix is made
// in the box as if typed (Ctrl+Z takes it back) and the unit's form is then submitted,
// so editor.js saves it by the ordinary version-checked save: nothing is written here.
// Every unit names its fields' addresses and their findings in data-proof (pages.py).
(function () {
  "use strict";

  var editor = document.querySelector("[data-proof-check-url]");
  if (!editor) return;
  var CHECK_URL = editor.dataset.proofCheckUrl;
  var IGNORE_URL = editor.dataset.proofIgnoreUrl;
  var PAUSE = 300;  // ms after the last keystroke before a field is checked
  var POLL = 1000;  // ms between looks for text changed without typing (a restored copy, a merge)
  // What the mirror must share with its box for the text to wrap at the same places.
  var MIRRORED = [
    "fontFamily", "fontSize", "fontWeight", "fontStyle", "fontVariant", "letterSpacing",
    "lineHeight", "textIndent", "textTransform", "wordSpacing", "tabSize", "wordBreak",
    "lineBreak", "overflowWrap", "paddingTop", "paddingBottom", "paddingLeft",
    "borderTopWidth", "borderRightWidth", "borderBottomWidth", "borderLeftWidth",
    "boxSizing", "borderTopLeftRadius", "borderTopRightRadius", "borderBottomLeftRadius",
    "borderBottomRightRadius"
  ];

  var states = [];   // one per proofread box
  var answered = 0;  // checks answered so far: a field older than the latest is re-checked on focus
  var counter = 0;   // for element ids

  // --- Small helpers

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function button(className, text, label) {
    var node = make("button", "btn btn-sm " + className, text);
    node.type = "button";
    if (label) node.setAttribute("aria-label", label);
    return node;
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function post(url, pairs) {
    var token = csrfToken();
    var body = new URLSearchParams();
    body.append("csrfmiddlewaretoken", token);
    pairs.forEach(function (pair) { body.append(pair[0], pair[1]); });
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      cache: "no-store",
      headers: { "Accept": "application/json", "X-Requested-With": "fetch", "X-CSRFToken": token }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) return { status: response.status, data: null };
      return response.json().then(function (data) {
        return { status: response.status, data: data };
      }, function () { return { status: response.status, data: null }; });
    }, function () { return { status: 0, data: null }; });
  }

  function visible(state) {
    return state.findings.filter(function (finding) { return !finding.ignored; });
  }

  function live(state) {
    return document.contains(state.box);
  }

  function stateOf(box) {
    for (var i = 0; i < states.length; i++) if (states[i].box === box) return states[i];
    return null;
  }

  // "，" as “，”; nothing flagged (a mark to insert) as its place.
  function flagged(finding) {
    return finding.text ? "“" + finding.text + "”" : "（此处）";
  }

  // --- Each field: its mirror, its list

  function setUp(unit) {
    var proof;
    try { proof = JSON.parse(unit.dataset.proof || "{}"); } catch (error) { return; }
    var form = unit.querySelector("form.unit-form");
    if (!form || !proof.fields) return;
    Object.keys(proof.fields).forEach(function (name) {
      var box = form.elements[name];
      if (!box || !box.tagName || stateOf(box)) return;
      attach(box, proof.fields[name], (proof.findings || {})[name] || []);
    });
  }

  function attach(box, address, findings) {
    var host = box.parentNode;
    var id = "proof-" + (++counter);
    host.classList.add("proof-host");
    box.classList.add("proof-box");
    var mirror = make("div", "proof-mirror");
    mirror.setAttribute("aria-hidden", "true");
    host.insertBefore(mirror, box);
    var panel = make("div", "proof-panel");
    panel.id = id;
    var here = make("p", "proof-here small mb-1");
    here.setAttribute("aria-live", "polite");
    var details = make("details", "proof-details");
    details.open = true;
    var summary = make("summary", "proof-summary small");
    summary.id = id + "-summary";
    var list = make("ul", "proof-items list-unstyled small mb-1");
    var ignored = make("details", "proof-ignored small");
    details.append(summary, list, ignored);
    panel.append(here, details);
    host.append(panel);
    var state = {
      box: box, address: address, findings: findings, checked: box.defaultValue,
      mirror: mirror, panel: panel, here: here, summary: summary, list: list, ignored: ignored,
      timer: null, inflight: false, again: false, failed: null, seen: answered, current: null
    };
    states.push(state);
    box.addEventListener("scroll", function () { syncScroll(state); });
    box.addEventListener("mousemove", function (event) { hover(state, event); });
    box.addEventListener("mouseleave", function () { box.removeAttribute("title"); });
    // The keys that move the caret; typing is an input event. (An Enter that pressed a
    // button of the list ends in the box as a keyup, and is not a move.)
    box.addEventListener("keyup", function (event) {
      if (/^(Arrow|Home|End|Page)/.test(event.key)) caret(state, true);
    });
    ["click", "focus"].forEach(function (name) {
      box.addEventListener(name, function () { caret(state, true); });
    });
    if (window.ResizeObserver) new ResizeObserver(function () { layout(state); }).observe(box);
    layout(state);
    show(state);
    if (box.value !== state.checked) schedule(state, 0);  // text carried into a new box
  }

  function layout(state) {
    var box = state.box;
    var mirror = state.mirror;
    if (!live(state)) return;
    var style = window.getComputedStyle(box);
    MIRRORED.forEach(function (name) { mirror.style[name] = style[name]; });
    mirror.style.top = box.offsetTop + "px";
    mirror.style.left = box.offsetLeft + "px";
    mirror.style.width = box.offsetWidth + "px";
    mirror.style.height = box.offsetHeight + "px";
    // A scroll bar takes room from the text: the mirror's text wraps in the same width.
    var bar = box.offsetWidth - box.clientWidth - parseFloat(style.borderLeftWidth) - parseFloat(style.borderRightWidth);
    mirror.style.paddingRight = (parseFloat(style.paddingRight) + Math.max(0, bar)) + "px";
    mirror.style.whiteSpace = box.tagName === "TEXTAREA" ? "pre-wrap" : "pre";
    syncScroll(state);
  }

  function syncScroll(state) {
    state.mirror.scrollTop = state.box.scrollTop;
    state.mirror.scrollLeft = state.box.scrollLeft;
  }

  // The findings moved along with typing since the check: those before the change keep
  // their place, those after it shift, those in it wait for the next check.
  function shifted(state) {
    var now = state.box.value;
    var old = state.checked;
    if (now === old) return visible(state);
    var prefix = 0;
    while (prefix < old.length && prefix < now.length && old[prefix] === now[prefix]) prefix++;
    var suffix = 0;
    while (suffix < old.length - prefix && suffix < now.length - prefix &&
      old[old.length - 1 - suffix] === now[now.length - 1 - suffix]) suffix++;
    var shift = now.length - old.length;
    var changedEnd = old.length - suffix;
    return visible(state).reduce(function (kept, finding) {
      if (finding.end <= prefix && !(finding.start === finding.end && finding.start === prefix)) {
        kept.push(finding);
      } else if (finding.start >= changedEnd && finding.start > prefix) {
        kept.push(Object.assign({}, finding, { start: finding.start + shift, end: finding.end + shift }));
      }
      return kept;
    }, []);
  }

  function paint(state) {
    var text = state.box.value;
    var marks = shifted(state).sort(function (a, b) { return a.start - b.start || a.end - b.end; });
    var nodes = [];
    var at = 0;
    marks.forEach(function (finding) {
      if (finding.start < at || finding.end > text.length) return;  // overlapping: the list has it
      if (finding.start > at) nodes.push(document.createTextNode(text.slice(at, finding.start)));
      var mark = make(finding.start === finding.end ? "span" : "mark",
        "proof-mark " + (finding.error ? "proof-error" : "proof-suggestion"));
      if (finding.start === finding.end) {
        mark.classList.add("proof-insert");
        mark.textContent = "\u2060";  // a word joiner: no width, no break, room for the caret line
      } else {
        mark.textContent = text.slice(finding.start, finding.end);
      }
      mark.dataset.key = finding.key;
      if (state.current === finding.key) mark.classList.add("is-current");
      nodes.push(mark);
      at = finding.end;
    });
    nodes.push(document.createTextNode(text.slice(at) + (/\n$/.test(text) ? "\u200b" : "")));
    state.mirror.replaceChildren.apply(state.mirror, nodes);
    syncScroll(state);
  }

  function counts(findings) {
    var errors = 0;
    var suggestions = 0;
    findings.forEach(function (finding) {
      if (finding.error) errors++;
      else suggestions++;
    });
    return { errors: errors, suggestions: suggestions };
  }

  function summaryText(left) {
    var parts = [];
    if (left.errors) parts.push("错误 " + left.errors + " 处");
    if (left.suggestions) parts.push("建议 " + left.suggestions + " 处");
    return "校对：" + (parts.length ? parts.join("，") : "没有问题");
  }

  function show(state) {
    paint(state);
    var shown = visible(state);
    var hidden = state.findings.filter(function (finding) { return finding.ignored; });
    var left = counts(shown);
    state.summary.textContent = summaryText(left);
    state.list.replaceChildren.apply(state.list, shown.map(function (finding) { return item(state, finding); }));
    renderIgnored(state, hidden);
    if (state.problem) say(state, state.problem, "problem");
    else if (state.saying === "problem") say(state, "", "");
    var empty = !shown.length && !hidden.length && !state.problem;
    state.panel.hidden = empty;
    describe(state, !empty && shown.length);
    caret(state);
  }

  // The box is described by its summary (校对：错误 1 处) while there is anything to say.
  function describe(state, on) {
    var box = state.box;
    var id = state.summary.id;
    var ids = (box.getAttribute("aria-describedby") || "").split(" ").filter(function (value) {
      return value && value !== id;
    });
    if (on) ids.push(id);
    if (ids.length) box.setAttribute("aria-describedby", ids.join(" "));
    else box.removeAttribute("aria-describedby");
  }

  function item(state, finding) {
    var row = make("li", "proof-item " + (finding.error ? "proof-error" : "proof-suggestion"));
    row.dataset.key = finding.key;
    if (state.current === finding.key) row.classList.add("is-current");
    var words = make("span", "proof-words");
    words.append(
      make("span", "proof-severity", finding.severity),
      make("span", "proof-flagged", flagged(finding)),
      make("span", "proof-message", finding.message)
    );
    var actions = make("span", "proof-actions");
    var locate = button("btn-link proof-locate", "定位", "定位" + flagged(finding));
    locate.addEventListener("click", function () { select(state, finding); });
    actions.append(locate);
    if (finding.fix) {
      // The name begins with what the button says (WCAG 2.5.3), then names the text.
      var fix = button("btn-outline-primary proof-fix", "一键修改：" + finding.fix,
        "一键修改：" + finding.fix + "（原文" + flagged(finding) + "）");
      fix.addEventListener("click", function () { apply(state, finding); });
      actions.append(fix);
    }
    // A placeholder is filled in, never ignored (it stays in 待填占位符 too).
    if (finding.code !== "placeholder") {
      var ignore = button("btn-outline-secondary proof-ignore", "忽略", "忽略" + flagged(finding));
      ignore.addEventListener("click", function () { setIgnored(state, finding, true); });
      actions.append(ignore);
    }
    row.append(words, actions);
    return row;
  }

  function renderIgnored(state, hidden) {
    var box = state.ignored;
    box.hidden = !hidden.length;
    if (!hidden.length) {
      box.replaceChildren();
      return;
    }
    var open = box.open;
    var summary = make("summary", "", "已忽略 " + hidden.length + " 处");
    var list = make("ul", "list-unstyled mb-1");
    hidden.forEach(function (finding) {
      var row = make("li", "proof-item proof-ignored-item");
      row.dataset.key = finding.key;
      var words = make("span", "proof-words");
      words.append(make("span", "proof-flagged", flagged(finding)), make("span", "proof-message", finding.message));
      var back = button("btn-link proof-unignore", "取消忽略", "取消忽略" + flagged(finding));
      back.addEventListener("click", function () { setIgnored(state, finding, false); });
      var actions = make("span", "proof-actions");
      actions.append(back);
      row.append(words, actions);
      list.append(row);
    });
    box.replaceChildren(summary, list);
    box.open = open;
  }

  // --- The caret and the pointer: the message of the finding there

  // The line above the list, read out as it changes: the finding at the caret, what a
  // button did, or why the field is not checked. ``kind`` says which, so that leaving
  // a finding clears its message and not a notice.
  function say(state, text, kind) {
    if (state.here.textContent !== text) state.here.textContent = text;
    state.saying = kind;
  }

  function findingAt(state, position) {
    var marks = shifted(state);
    for (var i = 0; i < marks.length; i++) {
      var finding = marks[i];
      if (finding.start <= position && position <= finding.end) return finding;
    }
    return null;
  }

  // ``moved``: the user moved the caret (a key, a click); otherwise (a check answered)
  // a notice of what a button did stays until they do.
  function caret(state, moved) {
    var box = state.box;
    var found = document.activeElement === box && typeof box.selectionStart === "number"
      ? findingAt(state, box.selectionStart) : null;
    var key = found ? found.key : null;
    if (key !== state.current) {
      state.current = key;
      if (!moved && state.saying === "notice") {
        // The notice stays; the marks below still follow the caret.
      } else if (found) {
        say(state, "光标处〔" + found.severity + "〕" + found.message +
          (found.fix ? "可一键修改：" + found.fix + "。" : ""), "caret");
      } else if (state.saying === "caret") {
        say(state, "", "");
      }
      state.mirror.querySelectorAll(".proof-mark").forEach(function (mark) {
        mark.classList.toggle("is-current", mark.dataset.key === key);
      });
      state.list.querySelectorAll(".proof-item").forEach(function (row) {
        row.classList.toggle("is-current", row.dataset.key === key);
      });
    }
  }

  var hovering = null;
  function hover(state, event) {
    if (hovering) return;
    hovering = window.requestAnimationFrame(function () {
      hovering = null;
      var key = null;
      document.elementsFromPoint(event.clientX, event.clientY).some(function (node) {
        if (node.classList && node.classList.contains("proof-mark") && state.mirror.contains(node)) {
          key = node.dataset.key;
          return true;
        }
        return false;
      });
      var finding = key && visible(state).filter(function (candidate) { return candidate.key === key; })[0];
      if (finding) state.box.title = "〔" + finding.severity + "〕" + finding.message;
      else state.box.removeAttribute("title");
    });
  }

  // --- Checking a field

  function schedule(state, delay) {
    clearTimeout(state.timer);
    state.timer = setTimeout(function () { state.timer = null; check(state); }, delay);
  }

  function check(state) {
    clearTimeout(state.timer);
    state.timer = null;
    if (!live(state)) return;
    if (state.inflight) {
      state.again = true;  // one request in flight per field: the next follows its answer
      return;
    }
    var text = state.box.value;
    state.inflight = true;
    state.again = false;
    post(CHECK_URL, [["address", state.address], ["text", text]]).then(function (answer) {
      state.inflight = false;
      var data = answer.data || {};
      if (answer.status === 200 && data.status === "checked") {
        state.findings = data.findings || [];
        state.checked = text;
        state.problem = null;
        state.failed = null;
        state.seen = ++answered;
      } else {
        // Not checked: the marks stay where they were. A text that fails is tried again
        // once it changes; the save of the unit says why the server refused it.
        state.failed = text;
        state.problem = answer.status === 401 ? "校对暂停：登录已过期。" :
          answer.status === 0 ? "校对暂停：网络中断，恢复后继续。" :
          data.message ? "未校对：" + data.message : "校对暂时不可用（服务器出错 " + answer.status + "）。";
      }
      show(state);
      recount();
      if (state.again || (state.box.value !== state.checked && state.box.value !== state.failed)) {
        schedule(state, PAUSE);
      }
    });
  }

  document.addEventListener("input", function (event) {
    var state = stateOf(event.target);
    if (!state) return;
    state.problem = null;
    if (state.saying === "notice" || state.saying === "problem") say(state, "", "");
    paint(state);
    caret(state, true);
    schedule(state, PAUSE);
  });

  // Another field's text can change this one's findings (a sentence repeated, a lead
  // longer than its siblings): a field is checked again when it is entered.
  document.addEventListener("focusin", function (event) {
    var state = stateOf(event.target);
    if (state && state.seen < answered && !state.inflight && !state.timer) check(state);
  });

  // Text put into a box without typing (a restored copy, 采用对方的, a merge).
  setInterval(function () {
    states = states.filter(function (state) { return live(state) || state.inflight; });
    states.forEach(function (state) {
      var value = state.box.value;
      if (!state.inflight && !state.timer && value !== state.checked && value !== state.failed) check(state);
    });
  }, POLL);

  // --- 定位, 一键修改, 忽略

  function select(state, finding) {
    var box = state.box;
    box.focus();
    try { box.setSelectionRange(finding.start, finding.end); } catch (error) { /* not a text box */ }
    box.scrollIntoView({ block: "nearest" });
    caret(state, true);
  }

  function apply(state, finding) {
    var box = state.box;
    var before = box.value;
    if (before !== state.checked || before.slice(finding.start, finding.end) !== finding.text) {
      say(state, "文字已改动，正在重新校对；请稍后再点“一键修改”。", "notice");
      check(state);
      return;
    }
    var fixed = before.slice(0, finding.start) + finding.suggestion + before.slice(finding.end);
    box.focus();
    box.setSelectionRange(finding.start, finding.end);
    var done = false;
    try {
      // As typed, so that the browser's undo (Ctrl+Z) takes the fix back.
      done = finding.suggestion ? document.execCommand("insertText", false, finding.suggestion)
        : document.execCommand("delete", false);
    } catch (error) { done = false; }
    if (!done || box.value !== fixed) {
      box.value = fixed;
      box.setSelectionRange(finding.start + finding.suggestion.length, finding.start + finding.suggestion.length);
      box.dispatchEvent(new Event("input", { bubbles: true }));
    }
    // The unit saves now, as its 保存 button would (editor.js, the save protocol).
    var form = box.form;
    if (form && form.requestSubmit) form.requestSubmit();
    else if (form) form.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
    check(state);
    state.current = null;
    say(state, "已" + finding.fix + "。", "notice");
  }

  function setIgnored(state, finding, ignore) {
    var pairs = [["key", finding.key]];
    if (!ignore) pairs.push(["undo", "1"]);
    post(IGNORE_URL, pairs).then(function (answer) {
      var data = answer.data || {};
      if (answer.status !== 200) {
        say(state, (ignore ? "未能忽略：" : "未能取消忽略：") +
          (data.message || (answer.status === 0 ? "网络中断，请稍后重试。" : "服务器出错，请稍后重试。")), "notice");
        return;
      }
      state.findings.forEach(function (candidate) {
        if (candidate.key === finding.key) candidate.ignored = ignore;
      });
      show(state);
      recount();
      say(state, ignore ? "已忽略" + flagged(finding) + "，本稿不再提示。" : "已恢复提示" + flagged(finding) + "。", "notice");
      // The button pressed is gone with its row: the field's summary keeps the place.
      state.summary.focus();
    });
  }

  // --- The sidebar: the counts of the whole speech, 上一处 / 下一处

  function recount() {
    var errors = 0;
    var suggestions = 0;
    var placeholders = 0;
    states.forEach(function (state) {
      if (!live(state)) return;
      var shown = visible(state);
      var left = counts(shown);
      errors += left.errors;
      suggestions += left.suggestions;
      placeholders += shown.filter(function (finding) { return finding.code === "placeholder"; }).length;
    });
    setCount(".proof-error-count", errors, "text-bg-danger");
    setCount(".proof-suggestion-count", suggestions, "text-bg-warning");
    var note = document.querySelector("#speech-sidebar .proof-placeholder-note");
    var count = note && note.querySelector(".proof-placeholder-count");
    if (count && count.textContent !== String(placeholders)) count.textContent = String(placeholders);
    if (note) note.hidden = !placeholders;
  }

  function setCount(selector, value, tone) {
    var badge = document.querySelector("#speech-sidebar " + selector);
    if (!badge) return;
    if (badge.textContent !== String(value)) badge.textContent = String(value);
    badge.classList.toggle(tone, value > 0);
    badge.classList.toggle("text-bg-success", value === 0);
    badge.classList.remove("text-bg-secondary");
  }

  // The boxes in the order of the page (an item added or moved by htmx included).
  function inPageOrder() {
    return states.filter(live).sort(function (a, b) {
      return a.box.compareDocumentPosition(b.box) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
    });
  }

  // Where the drafter was last, for 上一处 / 下一处 (pressing them moves the focus away).
  var lastPlace = null;
  document.addEventListener("focusout", function (event) {
    var state = stateOf(event.target);
    if (state) lastPlace = { state: state, position: state.box.selectionStart };
  });

  function walk(step) {
    var boxes = inPageOrder();
    var stops = [];
    boxes.forEach(function (state) {
      shifted(state).sort(function (a, b) { return a.start - b.start; }).forEach(function (finding) {
        stops.push({ state: state, finding: finding });
      });
    });
    if (!stops.length) return;
    var active = stateOf(document.activeElement) ? { state: stateOf(document.activeElement) } : lastPlace;
    var index = active && live(active.state) ? boxes.indexOf(active.state) : -1;
    var position = index === -1 ? -1
      : active.position !== undefined ? active.position : active.state.box.selectionStart;
    var order = function (stop) { return [boxes.indexOf(stop.state), stop.finding.start]; };
    var next = null;
    if (step > 0) {
      next = stops.filter(function (stop) {
        var at = order(stop);
        return at[0] > index || (at[0] === index && at[1] > position);
      })[0] || stops[0];
    } else {
      var before = stops.filter(function (stop) {
        var at = order(stop);
        return at[0] < index || (at[0] === index && at[1] < position);
      });
      next = before[before.length - 1] || stops[stops.length - 1];
    }
    select(next.state, next.finding);
  }

  function wireSidebar() {
    var walker = document.querySelector("#speech-sidebar .proof-walk");
    if (!walker || walker.dataset.wired) return;
    walker.dataset.wired = "1";
    walker.hidden = false;
    walker.querySelector(".proof-previous").addEventListener("click", function () { walk(-1); });
    walker.querySelector(".proof-next").addEventListener("click", function () { walk(1); });
  }

  // A save (editor.js) and an item list's swap (htmx) put in a new sidebar with the
  // counts of the stored speech: the live ones go back in.
  var sidebar = document.getElementById("speech-sidebar");
  if (sidebar && window.MutationObserver) {
    new MutationObserver(function () {
      wireSidebar();
      recount();
    }).observe(sidebar.parentNode, { childList: true });
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var root = event.detail.elt;
    if (!root || !root.querySelectorAll) return;
    var units = Array.prototype.slice.call(root.querySelectorAll("[data-proof]"));
    if (root.dataset && root.dataset.proof) units.unshift(root);
    units.forEach(setUp);
    states.forEach(layout);
    recount();
  });

  window.addEventListener("resize", function () { states.forEach(layout); });

  // --- Start

  editor.querySelectorAll("[data-proof]").forEach(setUp);
  wireSidebar();
  recount();
})();
