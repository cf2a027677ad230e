// A "show the password" button after every password field: a real button whose state
// (aria-pressed) says whether the password is shown. Without JavaScript the field stays
// as it is.
(function () {
  "use strict";
  function addToggle(input, index) {
    if (input.dataset.toggle) return;
    input.dataset.toggle = "1";
    if (!input.id) input.id = "mot-de-passe-" + index;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "password-toggle";
    button.textContent = "Afficher le mot de passe";
    button.setAttribute("aria-pressed", "false");
    button.setAttribute("aria-controls", input.id);
    button.addEventListener("click", function () {
      var show = input.type === "password";
      input.type = show ? "text" : "password";
      button.setAttribute("aria-pressed", show ? "true" : "false");
    });
    // Hidden again before the form is sent, so that the browser's password manager
    // still sees a password field.
    if (input.form) {
      input.form.addEventListener("submit", function () {
        input.type = "password";
        button.setAttribute("aria-pressed", "false");
      });
    }
    input.insertAdjacentElement("afterend", button);
  }
  function all() {
    document.querySelectorAll("input[type=password]").forEach(addToggle);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", all);
  else all();
})();
