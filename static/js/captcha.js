// The anti-robot check (ALTCHA) starts when the page loads. This script says how it is
// going in words (a status region read by screen readers), and holds a form sent before
// the check is done: it is sent by itself as soon as the check succeeds.
(function () {
  "use strict";
  var MESSAGES = {
    unverified: "Vérification en cours…",
    verifying: "Vérification en cours…",
    verified: "Vérification terminée : vous pouvez continuer.",
    expired: "La vérification a expiré : elle recommence.",
    error: "La vérification n'a pas abouti : rechargez la page puis réessayez."
  };

  function setUp(widget) {
    if (widget.dataset.enhanced) return;
    widget.dataset.enhanced = "1";
    var status = widget.parentElement.querySelector("[data-captcha-status]");
    var form = widget.closest("form");
    var drawn = widget.querySelector(".altcha");
    var state = (drawn && drawn.dataset.state) || "verifying";
    var waiting = null;
    if (status) {
      status.hidden = false;
      if (MESSAGES[state]) status.textContent = MESSAGES[state];
    }

    widget.addEventListener("statechange", function (event) {
      state = event.detail.state;
      if (status && MESSAGES[state]) status.textContent = MESSAGES[state];
      if (state === "verified" && waiting) {
        var submitter = waiting;
        waiting = null;
        form.requestSubmit(submitter.isConnected && submitter.form === form ? submitter : undefined);
      }
    });

    if (!form) return;
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      // "Retour" needs no check.
      if (state === "verified" || (submitter && submitter.hasAttribute("formnovalidate"))) return;
      event.preventDefault();
      waiting = submitter || form;
      if (status) status.textContent = "Vérification en cours : votre saisie sera envoyée dès qu'elle sera terminée.";
    });
  }

  function all() {
    document.querySelectorAll("altcha-widget").forEach(setUp);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", all);
  else all();
})();
