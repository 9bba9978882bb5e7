// speechdraft editor: autosave, local copies, refused saves, conflicts per field, ended
// sessions, presence, drag to reorder (issue 11; the contract is save-protocol.md).
//
// Staff keep this page open for days, so nothing typed may be lost: not to a closed tab,
// a reload, an ended session, a flaky network, a colleague's save or delete, nor an htmx
// swap of the list an item sits in. Every unit is a <div class="unit" id="KEY"> holding
// one <form class="unit-form">. Units save themselves with fetch, asking for JSON; the
// server stays the source of truth and this file keeps what the user typed until the
// server has acknowledged exactly that text. No inline scripts: data comes from data-*.
(function () {
  "use strict";

  var editor = document.querySelector("[data-speech-id]");
  if (!editor) return;
  var speechId = editor.dataset.speechId;
  var SESSION_URL = editor.dataset.sessionUrl;
  var PRESENCE_URL = editor.dataset.presenceUrl;
  // A page for someone who may not save (a reviewer, a submitted speech) is read-only,
  // except in 建议模式 where they may suggest (the section on 建议模式 below).
  var EDITABLE = editor.dataset.editable === "1";
  var SUGGEST_URL = editor.dataset.suggestUrl;
  var STORE = "speechdraft:draft:" + speechId + ":";
  var TYPING_PAUSE = 1500;          // ms after the last keystroke before a unit saves
  var BACKOFF = [2, 4, 8, 16, 30];  // seconds between retries after a network or server error
  var SESSION_POLL = 5000;          // ms between asking /session/ while logged out
  var PRESENCE_BEAT = 20000;        // ms between presence beats while the page is visible
  var KEEPALIVE_LIMIT = 60000;      // bytes: browsers refuse larger keepalive bodies

  // --- Small helpers

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function button(className, text) {
    var node = make("button", "btn btn-sm " + className, text);
    node.type = "button";
    return node;
  }

  function clock(date) {
    return String(date.getHours()).padStart(2, "0") + ":" + String(date.getMinutes()).padStart(2, "0");
  }

  function own(object, name) {
    return Object.prototype.hasOwnProperty.call(object, name);
  }

  // "讲话稿当前为“待审核”，不能修改。" reads better inside （…） without its full stop.
  // The server's "未保存：" is already said by the status itself.
  function bare(message) {
    return String(message || "").replace(/^未保存[：:]\s*/, "").replace(/[。.]+$/, "");
  }

  // --- Units and their fields

  function unitForm(unit) {
    return unit && unit.querySelector("form.unit-form");
  }

  function unitOf(key) {
    var unit = document.getElementById(key);
    return unit && unitForm(unit) ? unit : null;
  }

  // The fields a user types into; the version, the bases and the CSRF token are not theirs.
  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      return field.name && field.name !== "version" && field.name !== "csrfmiddlewaretoken" &&
        field.name.indexOf("base_") !== 0 && /^(textarea|select|input)$/i.test(field.tagName) &&
        !/^(hidden|submit|button)$/i.test(field.type);
    });
  }

  function field(form, name) {
    return fields(form).filter(function (candidate) { return candidate.name === name; })[0] || null;
  }

  function values(form) {
    var result = {};
    fields(form).forEach(function (box) { result[box.name] = box.value; });
    return result;
  }

  // The text the page was rendered with: the base_NAME input of save-protocol.md, or,
  // from a server that does not render it yet, the field's own initial value.
  function renderedText(form, box) {
    var base = form.elements["base_" + box.name];
    if (base && base.type === "hidden") return base.value;
    if (box.tagName === "SELECT") {
      var chosen = Array.prototype.filter.call(box.options, function (option) { return option.defaultSelected; });
      return chosen.length ? chosen[0].value : (box.options[0] ? box.options[0].value : "");
    }
    return box.defaultValue;
  }

  function fieldLabel(form, name) {
    var box = field(form, name);
    var label = box && box.id && form.querySelector('label[for="' + box.id + '"]');
    if (!label) return name;
    var copy = label.cloneNode(true);
    copy.querySelectorAll(".asteriskField").forEach(function (star) { star.remove(); });
    return copy.textContent.trim();
  }

  // How people name a unit: "成绩（二）", "开场白", "一、标题", "标题与会议信息".
  function unitLabel(key) {
    var unit = unitOf(key);
    if (!unit) return "";
    if (key === "header") return "标题与会议信息";
    var name = unit.querySelector(".item-label");
    if (name) return name.textContent.trim();
    var boxes = fields(unitForm(unit));
    return boxes.length ? fieldLabel(unitForm(unit), boxes[0].name) : key;
  }

  function unitsIn(root) {
    if (!root || !root.querySelectorAll) return [];
    var units = Array.prototype.slice.call(root.querySelectorAll(".unit"));
    if (root.classList && root.classList.contains("unit")) units.unshift(root);
    return units.filter(function (unit) { return unit.id && unitForm(unit); });
  }

  function itemKey(action) {
    var match = /\/items\/([0-9a-f-]{36})\//.exec(action || "");
    return match ? "item-" + match[1] : null;
  }

  // --- The state of each unit, kept by key: htmx replaces a list's elements, not this.
  //
  // base[NAME]    the text the server holds from which the box's text descends (sent as
  //               base_NAME: the server merges three-way from it);
  // server[NAME]  the text the server is known to hold: the box differs from it = unsaved;
  // conflicts     fields waiting for the user's explicit choice (or being merged by hand);
  //               until then they are sent as "nothing of mine to write";
  // problem       why the last save did not go through, shown next to the unit.

  var states = {};

  function stateOf(key) {
    if (!states[key]) {
      states[key] = {
        key: key, base: {}, server: {}, inflight: null, again: false, timer: null,
        retry: null, attempt: 0, problem: null, conflicts: {}, notes: [], savedAt: null,
        carried: null
      };
    }
    return states[key];
  }

  function adopt(unit) {
    var state = stateOf(unit.id);
    var form = unitForm(unit);
    var carried = state.carried;
    state.carried = null;
    var status = unit.querySelector(".save-status");
    var rendered = status && /已保存 (\d\d:\d\d)/.exec(status.textContent);
    if (rendered && !state.savedAt) state.savedAt = rendered[1];  // a page after a plain post
    fields(form).forEach(function (box) {
      if (carried && own(carried, box.name) && own(state.server, box.name)) {
        // Unsaved text from before the swap goes into the new box, with its base.
        if (carried[box.name] !== box.value) box.value = carried[box.name];
      } else {
        state.base[box.name] = renderedText(form, box);
        state.server[box.name] = state.base[box.name];
      }
    });
    render(unit.id);
  }

  function isDirty(key) {
    var unit = unitOf(key);
    if (!unit) return false;
    var state = stateOf(key);
    if (Object.keys(state.conflicts).length) return true;
    return fields(unitForm(unit)).some(function (box) { return box.value !== state.server[box.name]; });
  }

  // Whether there is text to send: conflicting fields wait for the user's choice.
  function needsSave(key) {
    var unit = unitOf(key);
    if (!unit) return false;
    var state = stateOf(key);
    return fields(unitForm(unit)).some(function (box) {
      return !own(state.conflicts, box.name) && box.value !== state.server[box.name];
    });
  }

  function anyUnsaved() {
    if (suggesting) return anyUnsent();
    return Object.keys(states).some(function (key) { return states[key].inflight || isDirty(key); });
  }

  // --- Local copies: localStorage, one per unit, with the bases and the version the
  // text was typed against. Written on every keystroke; removed only when the server
  // holds exactly what the box shows; never on a failure.

  function storeKey(key) { return STORE + key; }

  function writeDraft(key) {
    var unit = unitOf(key);
    if (!unit) return;
    var state = stateOf(key);
    var form = unitForm(unit);
    var draft = {
      fields: values(form), bases: Object.assign({}, state.base),
      version: form.elements.version ? form.elements.version.value : "", at: Date.now(),
      addUrl: addUrl(key)  // where to keep it as a new item should the item be deleted
    };
    try {
      localStorage.setItem(storeKey(key), JSON.stringify(draft));
    } catch (error) { /* full or disabled storage: the page still holds the text */ }
  }

  function syncDraft(key) {
    if (isDirty(key)) {
      writeDraft(key);
      return;
    }
    // What the server acknowledged is exactly what the box (and so the copy) holds.
    try { localStorage.removeItem(storeKey(key)); } catch (error) { /* storage disabled */ }
  }

  // The stored copies of a unit: this format, the text set aside when the user typed
  // past an offer, and the older format keyed by version (no bases).
  function readDrafts(key) {
    var found = [];
    try {
      [storeKey(key), storeKey(key) + ":offer"].forEach(function (name) {
        var raw = localStorage.getItem(name);
        if (!raw) return;
        try {
          var draft = JSON.parse(raw);
          if (draft && draft.fields) {
            draft.storeKey = name;
            found.push(draft);
          }
        } catch (error) { localStorage.removeItem(name); }
      });
      for (var i = 0; i < localStorage.length; i++) {
        var name = localStorage.key(i);
        if (name && name.indexOf(storeKey(key) + ":") === 0 && name !== storeKey(key) + ":offer") {
          try {
            var legacy = JSON.parse(localStorage.getItem(name));
            if (legacy && legacy.fields) {
              legacy.version = name.slice(name.lastIndexOf(":") + 1);
              legacy.storeKey = name;
              found.push(legacy);
            }
          } catch (error) { /* unreadable: leave it */ }
        }
      }
    } catch (error) { /* storage disabled */ }
    return found;
  }

  function removeStored(name) {
    try { localStorage.removeItem(name); } catch (error) { /* storage disabled */ }
  }

  // --- Saving one unit

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function setCsrfToken(token) {
    document.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) { input.value = token; });
    try {
      var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
      headers["X-CSRFToken"] = token;
      document.body.setAttribute("hx-headers", JSON.stringify(headers));
    } catch (error) { /* no htmx headers on this page */ }
  }

  function schedule(key, delay) {
    var state = stateOf(key);
    clearTimeout(state.timer);
    state.timer = setTimeout(function () { state.timer = null; save(key, {}); }, delay);
  }

  // Whether a save may go out by itself (typing, blur, leaving): a refused or deleted
  // unit waits for the user's own 保存 so that it does not knock on a closed door.
  function mayAutosave(state) {
    return !(state.problem && (state.problem.kind === "refused" || state.problem.kind === "gone"));
  }

  function save(key, options) {
    var unit = unitOf(key);
    if (!unit || suggesting || !EDITABLE) return;  // 建议模式 proposes instead
    var state = stateOf(key);
    clearTimeout(state.timer);
    state.timer = null;
    if (state.inflight) {
      state.again = true;  // one request in flight per unit: the next follows its answer
      return;
    }
    if (!options.explicit && !mayAutosave(state)) return;
    if (session.ended) {
      state.problem = { kind: "login" };
      render(key);
      if (options.explicit) refreshSession();  // logged in again meanwhile? then it saves
      return;
    }
    if (!needsSave(key) && !options.explicit) return;
    if (state.retry) {
      clearTimeout(state.retry.timer);
      state.retry = null;
    }
    var form = unitForm(unit);
    var sent = {};
    var held = {};
    var pairs = [["csrfmiddlewaretoken", csrfToken()]];
    fields(form).forEach(function (box) {
      var conflict = state.conflicts[box.name];
      sent[box.name] = box.value;
      if (conflict) {
        // Waiting for a choice: "mine == base" tells the server there is nothing of
        // mine to write in this field; the box keeps the user's text meanwhile.
        held[box.name] = true;
        pairs.push([box.name, conflict.theirs], ["base_" + box.name, conflict.theirs]);
      } else {
        pairs.push([box.name, box.value], ["base_" + box.name, state.base[box.name]]);
      }
    });
    pairs.push(["version", form.elements.version ? form.elements.version.value : ""]);
    state.inflight = { sent: sent, held: held };
    state.again = false;
    render(key);
    post(form.getAttribute("action"), pairs).then(function (answer) {
      state.inflight = null;
      answered(key, answer, sent, held, options);
    });
  }

  // POST as multipart form data (a third of the size of URL-encoding for Chinese), with
  // keepalive when small enough: the request then survives the page being closed.
  function post(url, pairs, background) {
    var body = new FormData();
    var size = 0;
    pairs.forEach(function (pair) {
      body.append(pair[0], pair[1]);
      size += new Blob([pair[1]]).size + pair[0].length + 100;
    });
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      cache: "no-store",
      keepalive: size < KEEPALIVE_LIMIT,
      headers: Object.assign(
        { "Accept": "application/json", "X-Requested-With": "fetch", "X-CSRFToken": pairs[0][1] },
        // Not the user's doing: must not keep an unattended page's session alive.
        background ? { "X-Background": "1" } : {}
      )
    }).then(readAnswer, function () { return { status: 0, data: null }; });
  }

  function readAnswer(response) {
    var type = response.headers.get("Content-Type") || "";
    if (response.redirected && /\/accounts\/login\//.test(response.url)) {
      return { status: 401, data: { status: "login" } };
    }
    if (type.indexOf("application/json") === -1) return { status: response.status, data: null };
    return response.json().then(function (data) {
      return { status: response.status, data: data };
    }, function () { return { status: response.status, data: null }; });
  }

  function answered(key, answer, sent, held, options) {
    var state = stateOf(key);
    var data = answer.data || {};
    var status = answer.status;
    if ((status === 200 && data.status === "saved") || (status === 409 && data.fields)) {
      accept(key, data, sent, held);
      state.problem = null;
      state.attempt = 0;
      if (status === 409) takeConflicts(key, data);
    } else if (status === 422 && answer.data) {
      state.problem = { kind: "invalid", message: data.message, errors: data.errors || {} };
    } else if (status === 401) {
      state.problem = { kind: "login" };
      sessionEnded(data.login_url);
    } else if (status === 403 && data.status === "csrf" && !options.csrfRetried) {
      // A login elsewhere rotated the token: fetch the fresh one and try once more.
      state.problem = { kind: "csrf", message: data.message };
      refreshSession().then(function (ok) {
        if (ok) {
          save(key, { explicit: options.explicit, csrfRetried: true });
        } else if (!session.ended) {
          retryLater(key, "network", 0);
          render(key);
        }
      });
    } else if (status === 403 && data.status === "csrf") {
      retryLater(key, "csrf", status);  // refused again with the fresh token: later
    } else if (status === 403) {
      state.problem = { kind: "refused", message: data.message || "您没有权限保存这段内容。" };
    } else if (status === 404) {
      state.problem = {
        kind: "gone",
        message: data.message || "这一条已被他人删除。您的文字仍在框中，可另存为新条目或复制。"
      };
    } else {
      retryLater(key, status === 0 ? "network" : "server", status);
    }
    syncDraft(key);
    render(key);
    if (state.again && needsSave(key)) {
      save(key, { explicit: true });
    } else if (needsSave(key) && !state.problem && !state.retry) {
      schedule(key, TYPING_PAUSE);  // typed while the save was on its way
    }
  }

  // A 200, or the fields of a 409 that were handled as in a 200 (save-protocol.md).
  function accept(key, data, sent, held) {
    var unit = unitOf(key);
    var state = stateOf(key);
    var form = unit && unitForm(unit);
    var notes = [];
    Object.keys(data.fields || {}).forEach(function (name) {
      var stored = data.fields[name];
      state.server[name] = stored;
      var box = form && field(form, name);
      if (!box || held[name] || (data.conflicts && data.conflicts[name])) return;
      if (box.value === sent[name]) {
        if (box.value !== stored) replaceText(box, stored);  // merged, or a number stripped
        state.base[name] = stored;
      } else {
        // Typed while the save was on its way: the new typing descends from what was sent.
        state.base[name] = sent[name];
      }
      var base = form.elements["base_" + name];
      if (base) base.value = state.base[name];
    });
    if (form && form.elements.version && data.version !== undefined) form.elements.version.value = data.version;
    (data.merged || []).forEach(function (name) {
      notes.push("已合并他人对“" + (form ? fieldLabel(form, name) : name) + "”的修改。");
    });
    state.notes = notes.concat(data.notes || []);
    // saved_at is null when nothing needed writing: the server already held the text.
    if (data.saved_at) state.savedAt = data.saved_at;
    else if (data.status === "saved" && !state.savedAt) state.savedAt = clock(new Date());
    if (data.labels) relabel(data.labels);
    if (data.sidebar) replaceSidebar(data.sidebar);
  }

  // Put the server's text into a box without moving the caret more than the text did.
  function replaceText(box, text) {
    var focused = document.activeElement === box;
    var start = box.selectionStart;
    var end = box.selectionEnd;
    var old = box.value;
    var prefix = 0;
    while (prefix < old.length && prefix < text.length && old[prefix] === text[prefix]) prefix++;
    box.value = text;
    if (focused && typeof start === "number") {
      var shift = text.length - old.length;
      try {
        box.setSelectionRange(start > prefix ? start + shift : start, end > prefix ? end + shift : end);
      } catch (error) { /* inputs of type number have no selection */ }
    }
  }

  // A save that gives an empty item text renumbers its list: every item's new name
  // goes into its .item-label, which its buttons take their names from.
  function relabel(labels) {
    Object.keys(labels).forEach(function (key) {
      var unit = unitOf(key);
      var name = unit && unit.querySelector(".item-label");
      var fresh = labels[key];
      if (!name || !fresh) return;
      var old = name.textContent.trim();
      if (fresh === old) return;
      name.textContent = fresh;
      var empty = fresh.indexOf("未填写") !== -1;
      name.classList.toggle("item-unnumbered", empty);
      name.classList.toggle("text-body-secondary", empty);
      if (!empty) name.removeAttribute("title");
      unit.querySelectorAll(".card-header [hx-confirm]").forEach(function (node) {
        node.setAttribute("hx-confirm", node.getAttribute("hx-confirm").split(old).join(fresh));
      });
    });
  }

  function replaceSidebar(html) {
    var current = document.getElementById("speech-sidebar");
    if (!current) return;
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    var fresh = template.content.firstElementChild;
    if (!fresh) return;
    fresh.removeAttribute("hx-swap-oob");
    current.replaceWith(fresh);
    if (window.htmx) window.htmx.process(fresh);
  }

  function takeConflicts(key, data) {
    var state = stateOf(key);
    Object.keys(data.conflicts || {}).forEach(function (name) {
      var conflict = Object.assign({}, data.conflicts[name]);
      conflict.merging = false;
      state.conflicts[name] = conflict;
    });
  }

  function retryLater(key, kind, status) {
    var state = stateOf(key);
    var delay = BACKOFF[Math.min(state.attempt, BACKOFF.length - 1)];
    state.attempt += 1;
    state.problem = { kind: kind, status: status };
    state.retry = {
      at: Date.now() + delay * 1000,
      timer: setTimeout(function () {
        state.retry = null;
        save(key, { explicit: true });
      }, delay * 1000)
    };
    tick();
  }

  // Counting down "8 秒后自动重试" while any unit waits to retry.
  var ticker = null;
  function tick() {
    if (ticker) return;
    ticker = setInterval(function () {
      var waiting = Object.keys(states).filter(function (key) { return states[key].retry; });
      waiting.forEach(renderStatus);
      if (!waiting.length) {
        clearInterval(ticker);
        ticker = null;
      }
    }, 1000);
  }

  function retryNow() {
    Object.keys(states).forEach(function (key) {
      var state = states[key];
      if (state.retry) {
        clearTimeout(state.retry.timer);
        state.retry = null;
        save(key, { explicit: true });
      }
    });
  }

  window.addEventListener("online", retryNow);

  // --- Showing a unit's state: the status beside 保存, then notices and conflicts.

  function statusText(key) {
    if (suggesting) return suggestStatus(key);
    var state = stateOf(key);
    var problem = state.problem;
    if (state.inflight) return { text: "正在保存…", tone: "saving" };
    var waiting = Object.keys(state.conflicts);
    if (waiting.length) {
      var merging = waiting.every(function (name) { return state.conflicts[name].merging; });
      return {
        text: merging ? "未保存（正在手动合并，改好后点“合并完成，保存”）" : "未保存（与他人的修改冲突，请在下方选择）",
        tone: "problem"
      };
    }
    if (problem) {
      var seconds = state.retry ? Math.max(1, Math.round((state.retry.at - Date.now()) / 1000)) : 0;
      var again = seconds ? "，" + seconds + " 秒后自动重试" : "，正在重试";
      switch (problem.kind) {
        case "network": return { text: "未保存（网络中断" + again + "）", tone: "problem" };
        case "server": return { text: "未保存（服务器出错" + (problem.status ? " " + problem.status : "") + again + "）", tone: "problem" };
        case "login": return { text: "未保存（登录已过期，重新登录后自动保存）", tone: "problem" };
        case "csrf": return { text: "未保存（" + bare(problem.message || "页面的安全校验已过期，正在重试…") + "）", tone: "problem" };
        case "refused": return { text: "未保存（" + bare(problem.message) + "）", tone: "problem" };
        case "gone": return { text: "未保存（这一条已被他人删除）", tone: "problem" };
        case "invalid": return { text: "未保存（内容有误，请按提示修改）", tone: "problem" };
      }
    }
    if (isDirty(key)) return { text: "有未保存的修改", tone: "dirty" };
    if (state.savedAt) return { text: "已保存 " + state.savedAt, tone: "saved" };
    return { text: "", tone: "" };
  }

  function renderStatus(key) {
    var unit = unitOf(key);
    if (!unit) return;
    unit.classList.toggle("is-dirty", !suggesting && isDirty(key));
    var status = unit.querySelector(".save-status");
    var shown = statusText(key);
    if (!status) return;
    if (status.textContent !== shown.text) status.textContent = shown.text;
    status.classList.toggle("text-success", shown.tone === "saved");
    status.classList.toggle("is-problem", shown.tone === "problem");
    status.classList.toggle("is-saving", shown.tone === "saving");
  }

  function feedbackOf(unit) {
    var box = unit.querySelector(":scope .unit-feedback");
    if (!box) {
      box = make("div", "unit-feedback");
      var status = unit.querySelector(".save-status");
      if (status) status.after(box);
      else unitForm(unit).after(box);
    }
    return box;
  }

  function render(key) {
    var unit = unitOf(key);
    if (!unit) return;
    renderStatus(key);
    var state = stateOf(key);
    var form = unitForm(unit);
    var feedback = feedbackOf(unit);
    feedback.replaceChildren();
    renderErrors(unit, state);
    Object.keys(state.conflicts).forEach(function (name) {
      feedback.append(conflictPanel(key, name, state.conflicts[name], form));
    });
    var problem = state.problem;
    if (problem && problem.kind === "refused") feedback.append(refusedNotice(key, problem));
    if (problem && problem.kind === "gone") feedback.append(goneNotice(key, problem));
    if (problem && problem.kind === "invalid" && problem.errors.__all__) {
      feedback.append(make("div", "alert alert-danger py-1 px-2 mb-2 small", problem.errors.__all__.join(" ")));
    }
    if (state.notes.length && !problem) {
      var notes = make("div", "unit-notes alert alert-info py-1 px-2 mb-2 small");
      notes.setAttribute("role", "status");
      state.notes.forEach(function (note) { notes.append(make("div", "unit-note", note)); });
      feedback.append(notes);
    }
    if (state.undo) feedback.append(undoNotice(key));
    renderPresence();
  }

  // 422: the server's reason under each field, as Bootstrap shows it.
  function renderErrors(unit, state) {
    var form = unitForm(unit);
    form.querySelectorAll(".sd-invalid").forEach(function (node) { node.remove(); });
    fields(form).forEach(function (box) {
      var errors = state.problem && state.problem.kind === "invalid" && state.problem.errors[box.name];
      box.classList.toggle("is-invalid", Boolean(errors && errors.length));
      var errorId = box.id + "-sd-error";
      var described = (box.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
        return id && id !== errorId;
      });
      if (errors && errors.length) {
        var message = make("div", "invalid-feedback d-block sd-invalid", errors.join(" "));
        message.id = errorId;
        described.push(errorId);
        (box.closest(".mb-3") || box.parentNode).append(message);
      }
      if (described.length) box.setAttribute("aria-describedby", described.join(" "));
      else box.removeAttribute("aria-describedby");
      var conflicted = own(state.conflicts, box.name);
      box.classList.toggle("is-conflicted", conflicted);
    });
  }

  function conflictPanel(key, name, conflict, form) {
    var label = conflict.label || fieldLabel(form, name);
    var panel = make("div", "field-conflict alert alert-warning py-2 px-3 mb-2");
    panel.dataset.field = name;
    panel.setAttribute("role", "group");
    panel.setAttribute("aria-label", "“" + label + "”的保存冲突");
    var who = (conflict.by || "他人") + (conflict.at ? " 于 " + conflict.at : "");
    if (conflict.merging) {
      panel.append(
        make("div", "fw-bold mb-1", "正在手动合并“" + label + "”"),
        make("div", "small mb-2", "请参照下面" + who + " 保存的文字，在上方“" + label +
          "”框中改好，再点“合并完成，保存”。在此之前这一栏不会自动保存。"),
        make("div", "small fw-bold", who + " 保存的文字："),
        make("div", "conflict-theirs diff-text mb-2", conflict.theirs)
      );
      var done = button("btn-primary me-1 choose-merged", "合并完成，保存");
      var back = button("btn-outline-dark choose-back", "返回选择");
      panel.append(done, back);
      done.addEventListener("click", function () { choose(key, name, "merged"); });
      back.addEventListener("click", function () { choose(key, name, "back"); });
      return panel;
    }
    panel.append(
      make("div", "fw-bold mb-1", "“" + label + "”与他人的修改冲突：" + who + " 也改了这一栏的同一处。"),
      make("div", "small mb-2", "两份文字都还在：您的文字仍在上方“" + label +
        "”框中，没有保存；对方的文字在下面。请选择怎样处理，选定之前这一栏不会自动保存。"),
      make("div", "small fw-bold", who + " 保存的文字："),
      make("div", "conflict-theirs diff-text mb-2", conflict.theirs)
    );
    if (conflict.ops && conflict.ops.length) {
      panel.append(make("div", "small fw-bold", "对方的文字 → 您的文字（删除线为只在对方文字中的，下划线为只在您文字中的）："));
      var diff = make("div", "diff diff-text conflict-diff mb-2");
      conflict.ops.forEach(function (op) {
        diff.append(op[0] === 1 ? make("ins", "", op[1]) : op[0] === -1 ? make("del", "", op[1]) : document.createTextNode(op[1]));
      });
      panel.append(diff);
    }
    var choices = make("div", "conflict-choices");
    [
      ["btn-primary", "保留我的", "mine", "以您的文字为准保存，替换对方在这一栏的修改"],
      ["btn-outline-primary", "采用对方的", "theirs", "放弃您在这一栏的修改，框中换成对方的文字"],
      ["btn-outline-dark", "手动合并", "merge", "参照对方的文字，在框中自己合并后再保存"]
    ].forEach(function (choice) {
      var row = make("div", "conflict-choice");
      var press = button(choice[0] + " choose-" + choice[2], choice[1]);
      press.addEventListener("click", function () { choose(key, name, choice[2]); });
      row.append(press, make("span", "small", choice[3]));
      choices.append(row);
    });
    panel.append(choices);
    return panel;
  }

  function choose(key, name, choice) {
    var unit = unitOf(key);
    var state = stateOf(key);
    var conflict = state.conflicts[name];
    if (!unit || !conflict) return;
    var box = field(unitForm(unit), name);
    if (choice === "mine") {
      // The user has seen theirs: saving over it is now a deliberate choice.
      state.base[name] = conflict.theirs;
      delete state.conflicts[name];
      save(key, { explicit: true });
    } else if (choice === "theirs") {
      state.undo = { name: name, mine: box.value, conflict: conflict };
      box.value = conflict.theirs;
      state.base[name] = conflict.theirs;
      delete state.conflicts[name];
      if (conflict.at) state.savedAt = conflict.at;  // what the box shows was saved then
      if (needsSave(key)) schedule(key, 0);
    } else if (choice === "merge") {
      conflict.merging = true;
      state.base[name] = conflict.theirs;
      box.focus();
    } else if (choice === "merged") {
      delete state.conflicts[name];
      save(key, { explicit: true });
    } else if (choice === "back") {
      conflict.merging = false;
    }
    syncDraft(key);
    render(key);
    if (choice !== "merge") box.focus();
  }

  // After 采用对方的: the user's words are one click away, until the next edit.
  function undoNotice(key) {
    var state = stateOf(key);
    var notice = make("div", "unit-undo alert alert-secondary py-1 px-2 mb-2 small");
    notice.append(make("span", "me-2", "已采用对方的文字。"));
    var undo = button("btn-outline-dark py-0", "撤销，找回我的文字");
    undo.addEventListener("click", function () {
      var unit = unitOf(key);
      var memory = state.undo;
      state.undo = null;
      if (!unit || !memory) return;
      field(unitForm(unit), memory.name).value = memory.mine;
      memory.conflict.merging = false;
      state.conflicts[memory.name] = memory.conflict;
      syncDraft(key);
      render(key);
    });
    notice.append(undo);
    return notice;
  }

  function refusedNotice(key, problem) {
    var notice = make("div", "unit-refused alert alert-danger py-2 px-3 mb-2");
    notice.setAttribute("role", "alert");
    notice.append(
      make("div", "fw-bold", problem.message),
      make("div", "small mb-1", "您的文字仍在框中，本机也留有副本，不会丢失。可以先复制保存到别处；" +
        "如讲话稿已提交审核，可在预览页撤回提交，再回到这里点“重试保存”。")
    );
    var retry = button("btn-outline-dark me-1 unit-retry", "重试保存");
    retry.addEventListener("click", function () { save(key, { explicit: true }); });
    notice.append(retry, copyButton(key));
    return notice;
  }

  function goneNotice(key, problem) {
    var notice = make("div", "unit-gone alert alert-warning py-2 px-3 mb-2");
    notice.setAttribute("role", "alert");
    notice.append(make("div", "fw-bold mb-1", problem.message));
    var add = addUrl(key);
    if (add) {
      var keep = button("btn-primary me-1 unit-save-as-new", "另存为新条目");
      keep.addEventListener("click", function () { saveAsNew(key, keep); });
      notice.append(keep);
    }
    notice.append(copyButton(key));
    if (problem.detail) notice.append(make("div", "small mt-1", problem.detail));
    return notice;
  }

  function copyButton(key) {
    var copy = button("btn-outline-dark unit-copy", "复制");
    copy.addEventListener("click", function () {
      var unit = unitOf(key);
      if (!unit) return;
      var boxes = fields(unitForm(unit));
      copyText(joined(values(unitForm(unit))), copy, boxes[boxes.length - 1]);
    });
    return copy;
  }

  function joined(texts) {
    return Object.keys(texts).map(function (name) { return texts[name]; }).filter(Boolean).join("\n");
  }

  // Copy ``text``; where the browser allows no copying, select it in ``shown``.
  function copyText(text, trigger, shown) {
    function done(message) { trigger.textContent = message; }
    // The Clipboard API needs a secure context: an intranet over http is not one.
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done("已复制"); }, fallback);
    } else {
      fallback();
    }
    function fallback() {
      var scratch = make("textarea", "visually-hidden");
      scratch.value = text;
      document.body.append(scratch);
      scratch.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (error) { ok = false; }
      scratch.remove();
      if (ok) {
        done("已复制");
      } else {
        if (shown.select) {
          shown.select();
        } else {
          window.getSelection().selectAllChildren(shown);
        }
        done("请按 Ctrl+C 复制已选中的文字");
      }
    }
  }

  // --- A deleted item's text kept as a new item (save-protocol.md, item add with text)

  var rescues = {};  // item-add URL → the text it carries, and what to do once it is known

  function addUrl(key) {
    var unit = unitOf(key);
    var form = unit && unit.querySelector("form[action$='/add/']");
    return form ? form.getAttribute("action") : null;
  }

  function saveAsNew(key, trigger) {
    var unit = unitOf(key);
    var list = unit && unit.closest(".item-list");
    var url = addUrl(key);
    if (!list || !url) return;
    rescue(url, list, values(unitForm(unit)), trigger, function () {
      delete states[key];
      removeStored(storeKey(key));
      return key;
    }, function (message) {
      var state = stateOf(key);
      if (state.problem) state.problem.detail = message;
      render(key);
    });
  }

  // POST the text to item-add; ``kept`` runs once the new item holds it, ``failed``
  // with the reason when the server did not keep it.
  function rescue(url, list, text, trigger, kept, failed) {
    if (!window.htmx) return;
    trigger.disabled = true;
    trigger.textContent = "正在另存…";
    rescues[url] = { text: text, trigger: trigger, kept: kept, failed: failed };
    var data = { csrfmiddlewaretoken: csrfToken() };
    Object.keys(text).forEach(function (name) { data[name] = text[name]; });
    window.htmx.ajax("POST", url, { source: list, target: list, swap: "outerHTML", values: data });
  }

  // Before the renumbered list replaces the old one: is the text in the new item? If
  // not (a server that ignores lead/body), the old card stays with its text. Returns
  // the key of the unit whose text is now safe in the new item.
  function checkRescue(event) {
    var url = event.detail.requestConfig && event.detail.requestConfig.path;
    var rescue = url && rescues[url];
    if (!rescue) return null;
    delete rescues[url];
    rescue.trigger.disabled = false;
    rescue.trigger.textContent = "另存为新条目";
    if (event.detail.xhr.status !== 200) return null;  // the reason shows beside the list
    var fresh = new DOMParser().parseFromString(event.detail.serverResponse, "text/html");
    var kept = Array.prototype.some.call(fresh.querySelectorAll(".unit"), function (candidate) {
      if (document.getElementById(candidate.id)) return false;
      var form = unitForm(candidate);
      return form && Object.keys(rescue.text).every(function (name) {
        var box = form.elements[name];
        return box && box.value.trim() === rescue.text[name].trim();
      });
    });
    if (kept) return rescue.kept();
    event.detail.shouldSwap = false;
    rescue.failed("另存未成功：服务器没有收下这段文字。文字仍在本页，请复制后粘贴到新条目里。");
    return null;
  }

  // --- Typing, leaving the field, Ctrl+S, the 保存 button

  function unitOfEvent(event) {
    var form = event.target.closest && event.target.closest("form.unit-form");
    var unit = form && form.closest(".unit");
    return unit && unit.id ? unit : null;
  }

  document.addEventListener("input", function (event) {
    var unit = unitOfEvent(event);
    if (!unit) return;
    if (suggesting) {
      suggestInput(unit, event.target);
      return;
    }
    var state = stateOf(unit.id);
    setAsideOffers(unit);
    state.notes = [];
    if (state.undo) {
      state.undo = null;
      render(unit.id);
    }
    syncDraft(unit.id);
    renderStatus(unit.id);
    if (!state.retry && mayAutosave(state)) schedule(unit.id, TYPING_PAUSE);
  });

  document.addEventListener("focusout", function (event) {
    var unit = unitOfEvent(event);
    if (unit && suggesting) {
      suggestBlur(unit, event);
      return;
    }
    if (!unit || !isDirty(unit.id)) return;
    var state = stateOf(unit.id);
    if (!state.retry && mayAutosave(state)) save(unit.id, {});
  });

  // The 保存 button (and Enter in a one-line field): the same save, asked for.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form.unit-form")) return;
    var unit = form.closest(".unit");
    if (!unit || !unit.id) return;
    event.preventDefault();
    if (suggesting) proposeUnit(unit.id, { explicit: true });
    else save(unit.id, { explicit: true });
  });

  // A comment on a passage (passages.js) names words the server must find in the field
  // as stored: unsaved text of its unit is saved first, and the comment goes when the
  // server holds it. A save that does not go through leaves the comment in its form.
  var WAIT_FOR_SAVE = 15000;  // ms

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form.comment-form") || !form.elements.quote || !form.elements.quote.value) return;
    var unit = form.closest(".unit");
    // In 建议模式 (or read-only) the box's text is not saved: the comment goes as it is.
    if (suggesting || !EDITABLE) return;
    if (!unit || !unit.id || !(isDirty(unit.id) || stateOf(unit.id).inflight)) return;
    event.preventDefault();
    var state = stateOf(unit.id);
    save(unit.id, { explicit: true });
    var waited = 0;
    var timer = setInterval(function () {
      waited += 100;
      if (!state.inflight && !isDirty(unit.id)) {
        clearInterval(timer);
        form.submit();
      } else if ((!state.inflight && state.problem) || waited >= WAIT_FOR_SAVE) {
        clearInterval(timer);  // the unit's status says why it did not save
      }
    }, 100);
  });

  // Ctrl+S (⌘S): save the unit being edited, else every unit with unsaved text.
  document.addEventListener("keydown", function (event) {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.key.toLowerCase() !== "s") return;
    event.preventDefault();  // the browser's "save page" is never what is meant here
    var focused = document.activeElement && document.activeElement.closest && document.activeElement.closest(".unit");
    var keys = focused && unitForm(focused) ? [focused.id] : Object.keys(states).filter(isDirty);
    keys.forEach(function (key) {
      if (suggesting) proposeUnit(key, { explicit: true });
      else save(key, { explicit: true });
    });
    if (session.ended) flashBanner();
  });

  // --- Leaving the page: ask while text is unsaved, and send what is unsaved with
  // keepalive so it reaches the server after the page is gone. The local copies stay
  // until an answer is read, so a save that never arrived is offered back next time.

  window.addEventListener("beforeunload", function (event) {
    if (!anyUnsaved()) return;
    event.preventDefault();
    event.returnValue = "";
  });

  function flushAll(leaving) {
    if (session.ended || suggesting || !EDITABLE) return;
    Object.keys(states).forEach(function (key) {
      var state = states[key];
      if (!needsSave(key) || !mayAutosave(state)) return;
      if (!state.inflight) {
        save(key, {});
      } else if (leaving) {
        flushBehind(key);
      }
    });
  }

  // The page is going away while a save is on its way and the user typed since: send the
  // rest too, descending from the text on its way (the base rule), with keepalive.
  function flushBehind(key) {
    var unit = unitOf(key);
    var state = stateOf(key);
    var form = unitForm(unit);
    var pairs = [["csrfmiddlewaretoken", csrfToken()]];
    var changed = false;
    fields(form).forEach(function (box) {
      var conflict = state.conflicts[box.name];
      var base = conflict ? conflict.theirs : state.inflight.sent[box.name];
      if (!conflict && box.value !== base) changed = true;
      pairs.push([box.name, conflict ? conflict.theirs : box.value], ["base_" + box.name, base]);
    });
    pairs.push(["version", form.elements.version ? form.elements.version.value : ""]);
    if (changed) post(form.getAttribute("action"), pairs);
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      flushAll(false);
    } else {
      beat();
      if (session.ended) refreshSession();
    }
  });

  window.addEventListener("pagehide", function () {
    flushAll(true);
    beat(true);
  });

  // --- Ended sessions (save-protocol.md: 401, /session/, /session/done/)

  var session = { ended: false, loginUrl: null, poll: null, banner: null };

  function sessionEnded(loginUrl) {
    if (loginUrl) session.loginUrl = loginUrl;
    if (!session.ended) {
      session.ended = true;
      Object.keys(states).forEach(function (key) {
        var state = states[key];
        if (state.retry) {
          clearTimeout(state.retry.timer);
          state.retry = null;
        }
        if (isDirty(key) && !state.inflight && mayAutosave(state)) {
          state.problem = { kind: "login" };
          render(key);
        }
      });
      session.poll = setInterval(refreshSession, SESSION_POLL);
    }
    showBanner();
  }

  function showBanner() {
    var url = session.loginUrl || editor.dataset.loginUrl;
    if (!session.banner) {
      var banner = make("div", "session-banner alert alert-danger sticky-top shadow-sm no-print");
      banner.setAttribute("role", "alert");
      var title = make("strong", "me-2", "登录已过期，请重新登录");
      var text = make("span", "me-2", "您输入的文字都还在本页，本机也留有副本；重新登录后会自动保存。");
      var link = make("a", "btn btn-sm btn-danger me-2 session-login", "在新标签页中登录");
      link.target = "_blank";
      link.rel = "noopener";
      var check = button("btn-outline-dark session-check", "我已登录");
      check.addEventListener("click", function () { refreshSession(); });
      banner.append(title, text, link, check);
      var main = document.getElementById("main") || document.body;
      main.prepend(banner);
      session.banner = banner;
    }
    session.banner.querySelector(".session-login").href = url;
  }

  function flashBanner() {
    if (!session.banner) return;
    session.banner.classList.remove("is-flashing");
    void session.banner.offsetWidth;
    session.banner.classList.add("is-flashing");
    session.banner.scrollIntoView({ block: "nearest" });
  }

  // Ask /session/: true when logged in (the fresh token is taken), false otherwise.
  var asking = null;
  function refreshSession() {
    if (asking) return asking;
    asking = fetch(SESSION_URL, {
      credentials: "same-origin", cache: "no-store",
      headers: { "Accept": "application/json", "X-Background": "1" }
    }).then(readAnswer, function () { return { status: 0, data: null }; }).then(function (answer) {
      asking = null;
      if (answer.status === 200 && answer.data && answer.data.csrf) {
        setCsrfToken(answer.data.csrf);
        if (session.ended) sessionBack();
        return true;
      }
      if (answer.status === 401) sessionEnded(answer.data && answer.data.login_url);
      return false;
    });
    return asking;
  }

  function sessionBack() {
    session.ended = false;
    clearInterval(session.poll);
    session.poll = null;
    if (session.banner) {
      session.banner.remove();
      session.banner = null;
    }
    Object.keys(states).forEach(function (key) {
      var state = states[key];
      if (state.problem && (state.problem.kind === "login" || state.problem.kind === "csrf")) state.problem = null;
      if (needsSave(key) && mayAutosave(state)) save(key, { explicit: true });
    });
    beat();
  }

  window.addEventListener("focus", function () { if (session.ended) refreshSession(); });
  // The login tab's /session/done/ page says so at once (speechdraft.js).
  if (window.BroadcastChannel) {
    new BroadcastChannel("speechdraft-session").addEventListener("message", function () { refreshSession(); });
  }
  document.addEventListener("speechdraft:csrf-stale", function () { refreshSession(); });
  // An htmx request (a list operation) met the ended session.
  document.addEventListener("speechdraft:session-ended", function (event) {
    sessionEnded(event.detail && event.detail.login_url);
  });

  // --- Presence: who else has this speech open, and where

  var presence = { unit: "", others: [], timer: null, refused: null };

  function beat(leaving) {
    if (!PRESENCE_URL || (session.ended && !leaving)) return;
    if (!leaving && document.visibilityState === "hidden") return;
    var pairs = [["csrfmiddlewaretoken", csrfToken()], ["unit", presence.unit]];
    if (leaving) pairs.push(["leave", "1"]);
    post(PRESENCE_URL, pairs, true).then(function (answer) {
      if (leaving) return;
      if (answer.status === 200 && answer.data) {
        presence.others = answer.data.others || [];
        presence.refused = null;
      } else if (answer.status === 401) {
        sessionEnded(answer.data && answer.data.login_url);
      } else if (answer.status === 403 && answer.data && answer.data.status === "refused") {
        presence.others = [];
        presence.refused = answer.data.message;
      }
      renderPresence();
    });
  }

  function renderPresence() {
    var line = document.getElementById("presence-line");
    if (!line) return;
    var names = presence.others.map(function (other) {
      var label = other.unit && unitLabel(other.unit);
      return other.user + (label ? "（" + label + "）" : "");
    });
    line.hidden = !names.length;
    line.textContent = names.length ? "正在编辑：" + names.join("、") : "";
    document.querySelectorAll(".presence-badge").forEach(function (badge) { badge.remove(); });
    var here = {};
    presence.others.forEach(function (other) {
      if (other.unit && unitOf(other.unit)) (here[other.unit] = here[other.unit] || []).push(other.user);
    });
    Object.keys(here).forEach(function (key) {
      var unit = unitOf(key);
      var badge = make("span", "presence-badge badge", here[key].join("、") + " 正在编辑");
      var name = unit.querySelector(".card-header .item-label");
      if (name) name.after(badge);
      else unit.prepend(badge);
    });
    var locked = document.getElementById("presence-refused");
    if (presence.refused && !locked) {
      locked = make("div", "alert alert-danger py-2 presence-refused");
      locked.id = "presence-refused";
      locked.setAttribute("role", "alert");
      line.after(locked);
    }
    if (locked) {
      if (presence.refused) {
        locked.textContent = bare(presence.refused) + "。尚未保存的文字仍在本页和本机副本中，不会丢失。";
      } else {
        locked.remove();
      }
    }
  }

  var moved = null;
  document.addEventListener("focusin", function (event) {
    var unit = event.target.closest && event.target.closest(".unit");
    var key = unit && unit.id && unitForm(unit) ? unit.id : "";
    if (!key || key === presence.unit) return;
    presence.unit = key;
    clearTimeout(moved);
    moved = setTimeout(beat, 300);  // tabbing through several units beats once
  });

  // --- Keeping typed text through htmx swaps of a list (add, move, delete)
  //
  // The list's units are replaced by new elements: their unsaved text is carried into
  // the new boxes. A unit that is no longer in the new list although nobody here deleted
  // it (a colleague did) keeps its card, marked as deleted, with its text.

  var swapping = null;

  document.addEventListener("htmx:beforeSwap", function (event) {
    var rescued = checkRescue(event);
    if (!event.detail.shouldSwap) return;
    var target = event.detail.target;
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    var deleted = source && source.getAttribute && /\/delete\/$/.test(source.getAttribute("action") || "")
      ? itemKey(source.getAttribute("action")) : null;
    swapping = { orphans: [], deleted: deleted, focus: null, targetId: target.id };
    unitsIn(target).forEach(function (unit) {
      if (unit.id === rescued) return;  // its text went into the new item
      var state = stateOf(unit.id);
      if (isDirty(unit.id) || state.inflight) {
        state.carried = values(unitForm(unit));
        if (unit.id !== deleted) swapping.orphans.push(unit);
      }
    });
    // htmx restores focus to fields by id; a move button has none, so remember it.
    var active = document.activeElement;
    if (active && active.tagName === "BUTTON" && active.name && target.contains(active)) {
      var unit = active.closest(".unit");
      if (unit) swapping.focus = { unit: unit.id, name: active.name, value: active.value };
    }
  });

  // The carried text goes into the new boxes at once, before anything else can read them.
  document.addEventListener("htmx:afterSwap", function (event) {
    unitsIn(event.detail.elt).forEach(function (unit) {
      var carried = states[unit.id] && states[unit.id].carried;
      if (!carried) return;
      fields(unitForm(unit)).forEach(function (box) {
        if (own(carried, box.name) && box.value !== carried[box.name]) box.value = carried[box.name];
      });
    });
  });

  // The rest after settling, not swapping: while settling htmx gives a swapped element
  // with a known id its old attributes back for a moment, which would undo our classes.
  document.addEventListener("htmx:afterSettle", function (event) {
    unitsIn(event.detail.elt).forEach(function (unit) {
      adopt(unit);
      offerDrafts(unit);
      prepareForMode(unit);
    });
    // The list's own settle, not the sidebar's (an out-of-band swap settles too).
    var memory = swapping;
    if (!memory || event.detail.elt.id !== memory.targetId) return;
    swapping = null;
    if (memory.deleted) {
      // Deleted here, after the 确定删除 question: its copy goes with it.
      delete states[memory.deleted];
      removeStored(storeKey(memory.deleted));
    }
    memory.orphans.forEach(function (old) {
      if (unitOf(old.id) || !states[old.id]) return;
      var into = event.detail.elt;
      var adding = into.querySelector(":scope > form");
      into.insertBefore(old, adding);
      old.querySelectorAll(".card-header button").forEach(function (control) { control.disabled = true; });
      var state = stateOf(old.id);
      state.problem = {
        kind: "gone", message: "这一条已被他人删除。您的文字仍在框中，可另存为新条目或复制。"
      };
      if (state.carried) {
        fields(unitForm(old)).forEach(function (box) { box.value = state.carried[box.name]; });
        state.carried = null;
      }
      syncDraft(old.id);
      render(old.id);
    });
    restoreFocus(memory.focus);
    renderPresence();
  });

  function restoreFocus(memory) {
    var unit = memory && document.getElementById(memory.unit);
    if (!unit) return;
    var buttons = unit.querySelectorAll("button[name]:not([disabled])");
    var exact = Array.prototype.filter.call(buttons, function (candidate) {
      return candidate.name === memory.name && candidate.value === memory.value;
    });
    var target = exact[0] || buttons[0];
    if (target) target.focus();
  }

  // --- Offering stored copies back when the page (or a swapped list) shows a unit

  function offerDrafts(unit) {
    // Only where they can be saved: a read-only page keeps them for when it is not.
    if (!EDITABLE || isDirty(unit.id) || unit.querySelector(".draft-offer")) return;
    var form = unitForm(unit);
    readDrafts(unit.id).forEach(function (draft) {
      var now = values(form);
      var differs = Object.keys(draft.fields).some(function (name) {
        return own(now, name) && draft.fields[name] !== now[name];
      });
      if (!differs) {
        removeStored(draft.storeKey);  // the server holds exactly this text
        return;
      }
      showOffer(unit, draft);
    });
  }

  function showOffer(unit, draft) {
    var form = unitForm(unit);
    var stale = draft.version !== (form.elements.version ? form.elements.version.value : "");
    var offer = make("div", "draft-offer alert alert-info py-2 px-3 mb-2");
    offer.setAttribute("role", "alert");
    offer.draft = draft;
    var at = new Date(draft.at);
    var time = isNaN(at) ? "" : " " + clock(at);
    offer.append(make("span", "me-2", "恢复未保存的内容？这里有您" + time + " 输入但尚未保存的文字。" +
      (stale ? "此后他人保存过这段内容，恢复后保存时，与他人改在同一处的地方会请您选择。" : "")));
    var restore = button("btn-primary me-1 draft-restore", "恢复");
    var discard = button("btn-outline-dark draft-discard", "放弃");
    offer.append(restore, discard);
    form.parentNode.insertBefore(offer, form);

    restore.addEventListener("click", function () {
      var state = stateOf(unit.id);
      var current = unitOf(unit.id);
      if (!current) return;
      var box;
      fields(unitForm(current)).forEach(function (candidate) {
        var name = candidate.name;
        if (!own(draft.fields, name)) return;
        if (draft.bases && own(draft.bases, name)) {
          state.base[name] = draft.bases[name];  // merged three-way from where it was typed
        } else if (stale && draft.fields[name] !== candidate.value) {
          // An old copy without its base: only the user can tell what to keep.
          state.conflicts[name] = { theirs: candidate.value, by: "他人", ops: null, merging: false };
        }
        candidate.value = draft.fields[name];
        box = box || candidate;
      });
      offer.remove();
      removeStored(draft.storeKey);
      syncDraft(unit.id);
      render(unit.id);
      if (box) box.focus();
      save(unit.id, {});
    });
    discard.addEventListener("click", function () {
      removeStored(draft.storeKey);
      offer.remove();
    });
  }

  // Typing past an open offer: the offered copy is set aside, not overwritten.
  function setAsideOffers(unit) {
    unit.querySelectorAll(".draft-offer").forEach(function (offer) {
      var draft = offer.draft;
      if (!draft || draft.setAside || draft.storeKey !== storeKey(unit.id)) return;
      try {
        localStorage.setItem(storeKey(unit.id) + ":offer", JSON.stringify(draft));
        draft.storeKey = storeKey(unit.id) + ":offer";
        draft.setAside = true;
      } catch (error) { /* storage full: the offer on screen still holds it */ }
    });
  }

  // Copies of units no longer on the page (an item a colleague deleted while this
  // browser held unsaved text for it): shown at the top, to keep as a new item or copy.
  function offerOrphans() {
    if (!EDITABLE) return;
    var names = [];
    try {
      for (var i = 0; i < localStorage.length; i++) {
        var name = localStorage.key(i);
        if (name && name.indexOf(STORE) === 0 && !unitOf(name.slice(STORE.length).split(":")[0])) names.push(name);
      }
    } catch (error) { return; }
    names.forEach(function (name) {
      var draft = null;
      try { draft = JSON.parse(localStorage.getItem(name)); } catch (error) { draft = null; }
      if (!draft || !draft.fields || !joined(draft.fields).trim()) {
        removeStored(name);  // nothing typed in it
        return;
      }
      showOrphan(name, draft);
    });
  }

  function showOrphan(name, draft) {
    var holder = document.getElementById("orphan-drafts");
    if (!holder) {
      holder = make("div", "orphan-drafts no-print");
      holder.id = "orphan-drafts";
      var line = document.getElementById("presence-line");
      if (line) line.after(holder);
      else editor.prepend(holder);
    }
    var at = new Date(draft.at);
    var notice = make("div", "orphan-draft alert alert-warning py-2 px-3 mb-2");
    notice.setAttribute("role", "alert");
    notice.append(make("div", "fw-bold mb-1", "本机还留有一段" + (isNaN(at) ? "" : " " + clock(at) + " ") +
      "输入、尚未保存的文字，它所在的条目已不在本页（可能已被他人删除）："));
    var text = make("div", "conflict-theirs diff-text mb-2", joined(draft.fields));
    notice.append(text);
    var form = draft.addUrl && editor.querySelector('.item-list > form[action="' + draft.addUrl + '"]');
    if (form) {
      var keep = button("btn-primary me-1 orphan-save-as-new", "另存为新条目");
      keep.addEventListener("click", function () {
        rescue(draft.addUrl, form.closest(".item-list"), draft.fields, keep, function () {
          removeStored(name);
          notice.remove();
          return null;
        }, function (message) { notice.append(make("div", "small mt-1", message)); });
      });
      notice.append(keep);
    }
    var copy = button("btn-outline-dark me-1 orphan-copy", "复制");
    copy.addEventListener("click", function () { copyText(joined(draft.fields), copy, text); });
    var discard = button("btn-outline-danger orphan-discard", "放弃这段文字");
    discard.addEventListener("click", function () {
      if (!window.confirm("确定放弃这段文字吗？放弃后无法找回。")) return;
      removeStored(name);
      notice.remove();
    });
    notice.append(copy, discard);
    holder.append(notice);
  }

  // --- 建议模式 (suggestion mode, issue 14)
  //
  // Those who may suggest switch it on (#suggest-mode). A box's change is then not saved
  // but sent as a suggestion on its field, on leaving the box or with 提交建议 and an
  // optional 理由: made on the text this page holds for the field (never what the server
  // has now: the drafter's accept re-bases it). The box shows the proposal while the mode
  // is on; switching off puts the stored text back, once every proposal has gone
  // through (one that did not keeps its text and its reason on screen). The buttons of
  // the suggestions themselves (接受, 拒绝, 撤回, 回复, 全部接受) post in place: the server
  // answers with the units they touched rendered anew, and after an accept the field's
  // new text and version, put into the box unless the drafter is typing in it (their
  // text stays, and its next save merges three-way with the accepted one).

  var suggesting = false;
  // Unit key → { fields: { NAME: entry }, reason: the reason last sent }. An entry:
  // base (the text the proposal is made on), sent (the proposal last taken), reason,
  // sending, again, problem, at.
  var proposals = {};
  var toggle = document.getElementById("suggest-mode");

  function suggestable(box) {
    return Boolean(box && box.dataset && box.dataset.column && box.dataset.anchor);
  }

  function proposalOf(key) {
    if (!proposals[key]) proposals[key] = { fields: {} };
    return proposals[key];
  }

  function entryOf(key, name) {
    var fieldsOf = proposalOf(key).fields;
    if (!fieldsOf[name]) {
      fieldsOf[name] = {
        base: stateOf(key).server[name], sent: null, reason: null, sending: false,
        again: false, problem: null, at: null
      };
    }
    return fieldsOf[name];
  }

  function suggestBoxes(key) {
    var unit = unitOf(key);
    return unit ? fields(unitForm(unit)).filter(suggestable) : [];
  }

  // The boxes whose text differs from the text their proposal is made on.
  function changedBoxes(key) {
    var held = proposalOf(key).fields;
    return suggestBoxes(key).filter(function (box) {
      var base = held[box.name] ? held[box.name].base : stateOf(key).server[box.name];
      return box.value !== base;
    });
  }

  function unsentBoxes(key) {
    var held = proposalOf(key).fields;
    return changedBoxes(key).filter(function (box) {
      var entry = held[box.name];
      return !entry || entry.sending || entry.problem || entry.sent !== box.value;
    });
  }

  function anyUnsent() {
    return Object.keys(proposals).some(function (key) { return unsentBoxes(key).length > 0; });
  }

  function reasonOf(key) {
    var unit = unitOf(key);
    var box = unit && unit.querySelector(".suggest-reason");
    return box ? box.value.trim() : "";
  }

  function suggestInput(unit, box) {
    if (!suggestable(box)) return;
    entryOf(unit.id, box.name).problem = null;
    composer(unit);
    renderSuggesting(unit.id);
  }

  // Leaving a box sends its change, unless focus goes to the unit's 理由 or 提交建议.
  function suggestBlur(unit, event) {
    if (!suggestable(event.target)) return;
    var next = event.relatedTarget;
    if (next && unit.contains(next) && next.closest(".suggest-composer")) return;
    proposeBoxes(unit.id, [event.target], {});
  }

  document.addEventListener("focusout", function (event) {
    var box = event.target;
    if (!suggesting || !box.classList || !box.classList.contains("suggest-reason")) return;
    var unit = box.closest(".unit");
    if (!unit || (event.relatedTarget && unit.contains(event.relatedTarget))) return;
    proposeUnit(unit.id, {});
  });

  function proposeUnit(key, options) {
    proposeBoxes(key, changedBoxes(key), options);
  }

  function proposeBoxes(key, boxes, options) {
    var unit = unitOf(key);
    if (!unit || !SUGGEST_URL) return;
    var reason = reasonOf(key);
    boxes.forEach(function (box) {
      var entry = entryOf(key, box.name);
      if (box.value === entry.base) return;
      var same = entry.sent === box.value && entry.reason === reason && !entry.problem;
      if (same && !options.explicit) return;
      if (entry.sending) {
        entry.again = true;
        return;
      }
      if (session.ended) {
        entry.problem = "登录已过期，重新登录后再提交";
        return;
      }
      var text = box.value;
      entry.sending = true;
      entry.problem = null;
      post(SUGGEST_URL, [
        ["csrfmiddlewaretoken", csrfToken()], ["anchor", box.dataset.anchor],
        ["field", box.dataset.column], ["base", entry.base], ["proposed", text], ["reason", reason]
      ]).then(function (answer) { proposed(key, box.name, text, reason, answer, options); });
    });
    renderSuggesting(key);
  }

  function proposed(key, name, text, reason, answer, options) {
    var entry = entryOf(key, name);
    var data = answer.data || {};
    entry.sending = false;
    if (answer.status === 200 && data.status === "proposed") {
      entry.sent = text;
      entry.reason = reason;
      // The server's time (the app's TIME_ZONE), as the suggestion's card shows it.
      entry.at = data.at || clock(new Date());
      takeSuggestionAnswer(data);
    } else if (answer.status === 401) {
      entry.problem = "登录已过期，重新登录后再提交";
      sessionEnded(data.login_url);
    } else if (answer.status === 403 && data.status === "csrf" && !options.csrfRetried) {
      entry.problem = "页面的安全校验已过期，正在重试";
      refreshSession().then(function (ok) {
        var unit = unitOf(key);
        var box = unit && field(unitForm(unit), name);
        if (ok && box) proposeBoxes(key, [box], { explicit: true, csrfRetried: true });
      });
    } else if (data.message) {
      entry.problem = String(data.message).replace(/^未提交[：:]\s*/, "").replace(/[。.]+$/, "");
    } else {
      entry.problem = answer.status === 0 ? "网络中断，请稍后点“提交建议”重试" : "服务器出错 " + answer.status + "，请稍后重试";
    }
    if (entry.again) {
      entry.again = false;
      var unit = unitOf(key);
      var box = unit && field(unitForm(unit), name);
      if (box) proposeBoxes(key, [box], {});
    }
    renderSuggesting(key);
  }

  function suggestStatus(key) {
    var held = proposals[key] ? proposals[key].fields : {};
    var names = Object.keys(held);
    var unsent = unsentBoxes(key).length > 0;
    if (names.some(function (name) { return held[name].sending; })) return { text: "正在提交建议…", tone: "saving" };
    var problem = names.map(function (name) { return held[name].problem; }).filter(Boolean)[0];
    if (problem) return { text: "建议未提交（" + problem + "）", tone: "problem" };
    if (unsent) return { text: "建议尚未提交（离开此框或点“提交建议”即提交）", tone: "dirty" };
    var at = names.map(function (name) { return held[name].at; }).filter(Boolean).pop();
    if (at) return { text: "已提交建议 " + at + "（原文未改动）", tone: "saved" };
    return { text: "", tone: "" };
  }

  function renderSuggesting(key) {
    renderStatus(key);
    var unit = unitOf(key);
    var box = unit && unit.querySelector(".suggest-composer");
    if (!box) return;
    var held = proposalOf(key).fields;
    var problems = Object.keys(held).map(function (name) {
      return held[name].problem ? "“" + fieldLabel(unitForm(unit), name) + "”：" + held[name].problem + "。" : "";
    }).filter(Boolean);
    // Nothing typed is waiting to be sent: there is nothing to give up.
    box.querySelector(".suggest-discard").hidden = unsentBoxes(key).length === 0;
    var note = box.querySelector(".suggest-note");
    note.replaceChildren();
    if (problems.length) {
      var alert = make("div", "alert alert-danger py-1 px-2 mb-0 mt-1 small", "建议未提交。" + problems.join(" ") +
        "您的文字仍在框中，可修改后再点“提交建议”。");
      alert.setAttribute("role", "alert");
      note.append(alert);
    }
  }

  // The 理由 box and the buttons, under a unit with a change in it.
  function composer(unit) {
    var box = unit.querySelector(".suggest-composer");
    if (box) return box;
    box = make("div", "suggest-composer");
    var id = unit.id + "-suggest-reason";
    var label = make("label", "form-label small mb-0", "修改理由（可选）");
    label.htmlFor = id;
    var reason = make("textarea", "form-control form-control-sm suggest-reason");
    reason.id = id;
    reason.rows = 1;
    var mine = unit.querySelector(".suggestion[data-mine][data-reason]");
    if (mine) reason.value = mine.dataset.reason;
    var send = button("btn-primary me-1 suggest-send", "提交建议");
    var discard = button("btn-outline-dark suggest-discard", "放弃未提交的修改");
    var note = make("div", "suggest-note");
    note.setAttribute("aria-live", "polite");
    var row = make("div", "mt-1");
    row.append(send, discard);
    box.append(label, reason, row, note);
    send.addEventListener("click", function () { proposeUnit(unit.id, { explicit: true }); });
    discard.addEventListener("click", function () { discardUnit(unit.id); });
    var place = unit.querySelector(".unit-suggestions");
    if (place) place.before(box);
    else feedbackOf(unit).after(box);
    return box;
  }

  function discardUnit(key) {
    var held = proposalOf(key).fields;
    suggestBoxes(key).forEach(function (box) {
      var entry = held[box.name];
      if (!entry) return;
      box.value = entry.sent !== null ? entry.sent : entry.base;
      entry.problem = null;
    });
    renderSuggesting(key);
  }

  // Entering the mode: this person's own open suggestions are in their boxes again,
  // re-based onto the text as it is (so editing one goes on from it).
  function prefillMine(unit) {
    unit.querySelectorAll(".suggestion[data-mine]").forEach(function (card) {
      var box = suggestBoxes(unit.id).filter(function (candidate) {
        return candidate.dataset.column === card.dataset.column;
      })[0];
      if (!box || box.value !== stateOf(unit.id).server[box.name]) return;
      var entry = entryOf(unit.id, box.name);
      box.value = card.dataset.proposed;
      entry.sent = card.dataset.proposed;
      entry.reason = card.dataset.reason || "";
    });
  }

  // Which boxes take typing: all where the user may save; in 建议模式 those a
  // suggestion may change (texts, not the date or the pace).
  function prepareForMode(unit) {
    var form = unitForm(unit);
    if (!form) return;
    fields(form).forEach(function (box) {
      var writable = suggesting ? suggestable(box) : EDITABLE;
      if (box.readOnly !== !writable) box.readOnly = !writable;
    });
    if (suggesting && changedBoxes(unit.id).length) composer(unit);
  }

  function barNote(text) {
    var note = document.getElementById("suggest-mode-note");
    if (!note) {
      note = make("span", "small fw-bold suggest-mode-note");
      note.id = "suggest-mode-note";
      note.setAttribute("role", "status");
      document.getElementById("suggest-bar").append(note);
    }
    note.textContent = text;
  }

  function startSuggesting() {
    var busy = Object.keys(states).some(function (key) { return states[key].inflight || isDirty(key); });
    if (EDITABLE && busy) {
      flushAll(false);
      toggle.checked = false;
      barNote("您的修改正在保存，保存完成后再开启建议模式。");
      return;
    }
    suggesting = true;
    editor.classList.add("is-suggesting");
    unitsIn(editor).forEach(function (unit) {
      prefillMine(unit);
      prepareForMode(unit);
      render(unit.id);
    });
    barNote("已开启：您的修改将作为建议提交，不改动原文。");
  }

  function stopSuggesting() {
    var waiting = Object.keys(proposals).filter(function (key) { return unsentBoxes(key).length > 0; });
    if (waiting.length) {
      toggle.checked = true;
      waiting.forEach(function (key) { proposeUnit(key, {}); });
      barNote("还有修改未作为建议提交成功（见各框下方的说明）。请提交或放弃后再关闭建议模式。");
      var first = unsentBoxes(waiting[0])[0];
      if (first) first.focus();
      return;
    }
    suggesting = false;
    editor.classList.remove("is-suggesting");
    Object.keys(proposals).forEach(function (key) {
      var unit = unitOf(key);
      if (!unit) return;
      var state = stateOf(key);
      suggestBoxes(key).forEach(function (box) {
        if (own(state.server, box.name)) box.value = state.server[box.name];
      });
      var box = unit.querySelector(".suggest-composer");
      if (box) box.remove();
    });
    proposals = {};
    unitsIn(editor).forEach(function (unit) {
      prepareForMode(unit);
      render(unit.id);
    });
    barNote("");
  }

  if (toggle && SUGGEST_URL) {
    document.getElementById("suggest-bar").hidden = false;
    toggle.checked = false;  // a page restored from the browser's cache starts over
    toggle.addEventListener("change", function () {
      if (toggle.checked) startSuggesting();
      else stopSuggesting();
    });
  }

  // Leaving the page: what is typed and not yet sent goes out as a suggestion.
  window.addEventListener("pagehide", function () {
    if (suggesting) Object.keys(proposals).forEach(function (key) { proposeUnit(key, {}); });
  });
  document.addEventListener("visibilitychange", function () {
    if (suggesting && document.visibilityState === "hidden") {
      Object.keys(proposals).forEach(function (key) { proposeUnit(key, {}); });
    }
  });

  // --- The suggestions' own buttons: 接受, 拒绝, 撤回, 回复, 全部接受

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form.suggestion-form")) return;
    event.preventDefault();
    if (form.dataset.busy) return;
    var unit = form.closest(".unit");
    var key = unit && unit.id ? unit.id : null;
    var pairs = [["csrfmiddlewaretoken", csrfToken()]];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken") pairs.push([name, value]);
    });
    var buttons = form.querySelectorAll("button");
    form.dataset.busy = "1";
    buttons.forEach(function (control) { control.disabled = true; });
    post(form.getAttribute("action"), pairs).then(function (answer) {
      delete form.dataset.busy;
      buttons.forEach(function (control) { control.disabled = false; });
      var data = answer.data || {};
      var message;
      if (answer.status === 401) {
        sessionEnded(data.login_url);
        message = "登录已过期，请重新登录后再操作。";
      } else if (answer.status === 403 && data.status === "csrf") {
        refreshSession();
        message = "页面的安全校验已过期，已重新获取，请再操作一次。";
      } else if (!answer.data) {
        message = answer.status === 0 ? "网络中断，操作未完成，请稍后重试。" : "服务器出错（" + answer.status + "），操作未完成，请稍后重试。";
      } else {
        takeSuggestionAnswer(data);
        message = data.message;
      }
      suggestionNotice(key, message, answer.status !== 200);
    });
  });

  function replaceElement(id, html) {
    var current = document.getElementById(id);
    if (!current || !html) return;
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    var fresh = template.content.firstElementChild;
    if (fresh) current.replaceWith(fresh);
  }

  function takeSuggestionAnswer(data) {
    Object.keys(data.units || {}).forEach(function (key) {
      var entry = data.units[key];
      replaceElement("suggestions-" + key, entry.suggestions);
      if (entry.fields) acceptedText(key, entry.fields, entry.version, data.at);
    });
    replaceElement("suggestion-panel", data.panel);
    if (data.labels) relabel(data.labels);
    if (data.sidebar) replaceSidebar(data.sidebar);
    // The step may have settled what 我的待办 counts: the menu's badge says so at once.
    if (typeof data.todo === "string") {
      document.querySelectorAll(".todo-badge").forEach(function (badge) { badge.textContent = data.todo; });
    }
  }

  // An accepted suggestion's field as now stored: into the box, unless the user has
  // typed there since the page knew the text (their words stay; the save that follows
  // merges them with it, as with a colleague's save).
  function acceptedText(key, texts, version, at) {
    var unit = unitOf(key);
    if (!unit) return;
    var state = stateOf(key);
    var form = unitForm(unit);
    Object.keys(texts).forEach(function (name) {
      var box = field(form, name);
      if (!box) return;
      var before = state.server[name];
      state.server[name] = texts[name];
      var held = proposals[key] && proposals[key].fields[name];
      if (box.value === before && !own(state.conflicts, name) && !held) {
        replaceText(box, texts[name]);
        state.base[name] = texts[name];
        state.savedAt = at || clock(new Date());  // the accept wrote it, through the save
        var base = form.elements["base_" + name];
        if (base) base.value = texts[name];
      }
    });
    if (form.elements.version && version !== undefined) form.elements.version.value = version;
    syncDraft(key);
    render(key);
    if (EDITABLE && !suggesting && needsSave(key)) schedule(key, TYPING_PAUSE);
  }

  // What a step did, beside the suggestions of its unit (or in the panel).
  function suggestionNotice(key, message, problem) {
    if (!message) return;
    var place = key ? document.getElementById("suggestions-" + key) : null;
    place = place || document.querySelector("#suggestion-panel .card-body");
    if (!place) return;
    var old = place.querySelector(":scope > .suggestion-notice");
    if (old) old.remove();
    var notice = make("div", "suggestion-notice alert py-1 px-2 mb-1 small " + (problem ? "alert-danger" : "alert-success"), message);
    notice.setAttribute("role", problem ? "alert" : "status");
    place.prepend(notice);
  }

  // --- Start: every unit of the page, its stored copies, presence

  unitsIn(editor).forEach(function (unit) {
    adopt(unit);
    offerDrafts(unit);
  });
  offerOrphans();
  beat();
  presence.timer = setInterval(beat, PRESENCE_BEAT);

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
      values: { position: position, csrfmiddlewaretoken: csrfToken() }
    });
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("is-dragging");
    dragged = null;
    clearDropMarks();
  });
})();
