// Progressive enhancement: tells, as the tenant types, whether the password already
// follows the landlord's rule. The server checks it again on submit.
(function () {
  "use strict";
  var input = document.getElementById("id_password1");
  var rule = document.getElementById("id_password1_helptext");
  if (!input || !rule) return;
  var minLength = parseInt(input.dataset.minLength, 10);
  var kinds = input.dataset.kinds;
  var status = document.createElement("p");
  status.className = "password-status";
  status.id = "id_password1_status";
  status.setAttribute("aria-live", "polite");
  rule.insertAdjacentElement("afterend", status);
  input.setAttribute("aria-describedby", (input.getAttribute("aria-describedby") || "") + " " + status.id);

  function missing(value) {
    var present = {
      lower: /[a-zà-ÿ]/.test(value),
      upper: /[A-ZÀ-Ý]/.test(value),
      digit: /[0-9]/.test(value),
      special: /[^A-Za-z0-9À-ÿ]/.test(value)
    };
    var count = Object.keys(present).filter(function (k) { return present[k]; }).length;
    var problems = [];
    if (value.length < minLength) problems.push("au moins " + minLength + " caractères");
    if (kinds === "three_of_four" && count < 3) problems.push("trois types de caractères");
    if (kinds === "upper_lower_digit" && !(present.lower && present.upper && present.digit)) problems.push("majuscules, minuscules et un chiffre");
    if (kinds === "all_four" && count < 4) problems.push("minuscule, majuscule, chiffre et caractère spécial");
    return problems;
  }

  input.addEventListener("input", function () {
    if (!input.value) { status.textContent = ""; return; }
    var problems = missing(input.value);
    status.textContent = problems.length
      ? "✗ Il manque : " + problems.join(", ") + "."
      : "✓ Le mot de passe respecte la règle.";
    status.dataset.valid = problems.length ? "false" : "true";
  });
})();
