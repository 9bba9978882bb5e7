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
