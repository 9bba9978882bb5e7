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

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest(".print-button")) {
      window.print();
    }
  });
})();

// Conflict view: replace the user's text with the current one, on request only.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest(".take-current");
  if (!button) return;
  var unit = button.closest(".unit");
  var fields = unit.querySelectorAll("textarea");
  var parts = button.dataset.current.split("\n");
  if (fields.length === 1) {
    fields[0].value = button.dataset.current;
  } else {
    fields.forEach(function (field, index) { field.value = parts[index] || ""; });
  }
});
