// Imports: follows a running import on its page (progressive enhancement).
// Without JavaScript the page shows where the import was and a link to refresh it.
(function () {
  "use strict";
  var section = document.querySelector("[data-progress-url]");
  if (!section || !window.fetch) {
    return;
  }
  var url = section.getAttribute("data-progress-url");
  var bar = section.querySelector("progress");
  var label = section.querySelector("label[for='" + bar.id + "']");
  var step = section.querySelector("[data-progress-step]");
  var percent = section.querySelector("[data-progress-percent]");
  var refresh = section.querySelector(".bo-progress-refresh");
  if (refresh) {
    refresh.hidden = true;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (progress) {
        bar.value = progress.percent;
        bar.textContent = progress.percent + " %";
        label.textContent = progress.step;
        step.textContent = progress.step;
        percent.textContent = progress.percent;
        if (progress.done) {
          window.location.assign(progress.url);
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        if (refresh) {
          refresh.hidden = false;
        }
      });
  }

  window.setTimeout(poll, 1000);
})();
