// speechdraft: small behaviours of our pages. No inline scripts (CSP-friendly).
(function () {
  "use strict";

  // A form that asks before it submits (deleting a speech).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches && form.matches("form.confirm-submit") && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });

  // A paste or a file past its budget (data-max-chars, data-max-bytes, set by the
  // form) is refused here with the server's wording, before it is sent: far enough past,
  // the request itself would be refused and the paste lost with the page.
  function overBudget(form) {
    var fields = form.querySelectorAll("[data-max-chars], [data-max-bytes]");
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      var limit, count, unit;
      if (field.dataset.maxChars) {
        // As the server counts: code points, a line break sent as \r\n.
        limit = Number(field.dataset.maxChars);
        count = Array.from(field.value).length + (field.value.match(/\n/g) || []).length;
        unit = " 字";
      } else {
        limit = Number(field.dataset.maxBytes);
        count = field.files && field.files[0] ? field.files[0].size : 0;
        if (count <= limit) continue;
        limit = (limit / 1048576).toFixed(1).replace(/\.0$/, "");
        count = (count / 1048576).toFixed(1).replace(/\.0$/, "");
        unit = " MB";
      }
      if (Number(count) > Number(limit)) {
        return { field: field, message: field.dataset.what + "超过上限：最多 " + limit + unit + "，现有 " + count + unit + "。" };
      }
    }
    return null;
  }

  document.addEventListener("submit", function (event) {
    var refusal = event.target.querySelector ? overBudget(event.target) : null;
    if (!refusal) return;
    event.preventDefault();
    var old = refusal.field.parentNode.querySelector(".budget-notice");
    if (old) old.remove();
    var notice = document.createElement("div");
    notice.className = "budget-notice invalid-feedback d-block";
    notice.setAttribute("role", "alert");
    notice.textContent = refusal.message;
    refusal.field.classList.add("is-invalid");
    refusal.field.after(notice);
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest(".print-button")) {
      window.print();
    }
  });

  // A refused htmx request (a list operation: add, move, delete) says why beside what
  // it was asked for, in the server's Chinese (401/403/404 answer htmx with JSON), and
  // an ended session tells the editing page, which offers the login.
  var FALLBACK = {
    401: "登录已过期，请重新登录后再操作。",
    403: "您没有权限进行此操作。",
    404: "要操作的内容已不存在（可能已被他人删除）。请刷新页面后再试。"
  };

  function reasonOf(xhr) {
    var data = null;
    try { data = JSON.parse(xhr.responseText); } catch (error) { data = null; }
    if (xhr.status === 401) {
      document.dispatchEvent(new CustomEvent("speechdraft:session-ended", { detail: data || {} }));
      return "登录已过期，请重新登录后再操作。";
    }
    if (data && data.status === "csrf") {
      // A login elsewhere rotated the token: the editing page fetches the fresh one.
      document.dispatchEvent(new CustomEvent("speechdraft:csrf-stale"));
      return "页面的安全校验已过期，已重新获取，请再操作一次。";
    }
    if (data && data.message) return data.message;
    return FALLBACK[xhr.status] || "操作未完成（服务器出错 " + xhr.status + "），请稍后重试。";
  }

  function showNotice(event, message) {
    var target = event.detail.target || event.detail.elt;
    if (!target || !target.isConnected) target = event.detail.elt;
    if (!target || !target.isConnected) return;
    var old = target.querySelector(":scope > .request-notice");
    if (old) old.remove();
    var notice = document.createElement("div");
    notice.className = "request-notice alert alert-danger alert-dismissible py-2 mb-2";
    notice.setAttribute("role", "alert");
    notice.textContent = message;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close py-2";
    close.setAttribute("aria-label", "关闭");
    close.addEventListener("click", function () { notice.remove(); });
    notice.append(close);
    target.prepend(notice);
  }

  // 401/403/404 are not errors to htmx (base.html: it would log them as faults of the
  // page); they are answers with a reason, shown here. Other failures are errors.
  var REFUSALS = [401, 403, 404];
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (REFUSALS.indexOf(event.detail.xhr.status) !== -1) showNotice(event, reasonOf(event.detail.xhr));
  });
  document.addEventListener("htmx:responseError", function (event) {
    if (REFUSALS.indexOf(event.detail.xhr.status) === -1) showNotice(event, reasonOf(event.detail.xhr));
  });
  document.addEventListener("htmx:sendError", function (event) {
    showNotice(event, "网络中断，操作未完成。请检查网络后重试。");
  });

  // The login opened from the editing page ends here: tell that page at once.
  if (document.querySelector("[data-session-done]") && window.BroadcastChannel) {
    new BroadcastChannel("speechdraft-session").postMessage("logged-in");
  }
})();
