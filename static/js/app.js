/* The installable application (docs/app.md): the service worker, the "Installer
   l'application" button, and turning notifications on or off on this device (Mes infos). */
(function () {
  "use strict";

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
  }

  // --- Installation (the home page) ---------------------------------------------------
  // Chromium's browsers offer installation through beforeinstallprompt, once they judge
  // the site installable; Safari on iPhone and iPad has no such event, only its Share menu.
  var install = document.querySelector("[data-app-install]");
  var standalone = window.matchMedia("(display-mode: standalone)").matches ||
    window.navigator.standalone === true;
  if (install && !standalone) {
    var offer = install.querySelector("[data-install-prompt]");
    var deferred = null;
    window.addEventListener("beforeinstallprompt", function (event) {
      event.preventDefault();
      deferred = event;
      install.hidden = false;
      offer.hidden = false;
    });
    offer.querySelector("button").addEventListener("click", function () {
      if (!deferred) return;
      var asked = deferred;
      deferred = null;
      asked.prompt();
      // The browser's event is good for one prompt: whatever the answer, the offer goes.
      Promise.resolve(asked.userChoice).catch(function () {}).then(function () {
        install.hidden = true;
      });
    });
    window.addEventListener("appinstalled", function () { install.hidden = true; });
    var ios = /iPhone|iPad|iPod/.test(navigator.userAgent) ||
      (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
    if (ios) {
      install.hidden = false;
      install.querySelector("[data-install-ios]").hidden = false;
    }
  }

  // --- Notifications on this device (Mes infos) ---------------------------------------
  var push = document.querySelector("[data-push]");
  if (!push) return;
  var status = push.querySelector("[data-push-status]");
  var onButton = push.querySelector("[data-push-on]");
  var offButton = push.querySelector("[data-push-off]");
  var supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  if (!supported) {
    status.textContent = "Ce navigateur ne permet pas de recevoir des notifications. Sur iPhone, installez d'abord l'application (Partager → Sur l'écran d'accueil), puis ouvrez-la.";
    return;
  }

  function csrf() {
    return push.querySelector("input[name=csrfmiddlewaretoken]").value;
  }

  function send(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(body),
    }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    });
  }

  function say(text) {
    status.textContent = text;
  }

  function show(subscribed) {
    onButton.hidden = subscribed;
    offButton.hidden = !subscribed;
  }

  function base64UrlToBytes(text) {
    var padded = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  navigator.serviceWorker.ready.then(function (registration) {
    return registration.pushManager.getSubscription();
  }).then(function (subscription) {
    show(Boolean(subscription) && push.dataset.pushEndpoints.split(" ").indexOf(subscription ? subscription.endpoint : "") >= 0);
  }).catch(function () { show(false); });
  onButton.hidden = false;

  onButton.addEventListener("click", function () {
    say("Activation en cours…");
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") {
        throw new Error("refused");
      }
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      return registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: base64UrlToBytes(push.dataset.pushKey),
      });
    }).then(function (subscription) {
      return send(push.dataset.pushSubscribe, subscription.toJSON());
    }).then(function (answer) {
      // The same page (Mes infos): the address changes only by its anchor, so reload.
      window.location.replace(answer.next);
      window.location.reload();
    }).catch(function (error) {
      say(error.message === "refused"
        ? "Les notifications sont bloquées pour ce site : autorisez-les dans les réglages du navigateur, puis réessayez."
        : "Les notifications n'ont pas pu être activées sur cet appareil. Réessayez plus tard.");
    });
  });

  offButton.addEventListener("click", function () {
    navigator.serviceWorker.ready.then(function (registration) {
      return registration.pushManager.getSubscription();
    }).then(function (subscription) {
      if (!subscription) return { next: window.location.href };
      var endpoint = subscription.endpoint;
      return subscription.unsubscribe().then(function () {
        return send(push.dataset.pushUnsubscribe, { endpoint: endpoint });
      });
    }).then(function (answer) {
      // The same page (Mes infos): the address changes only by its anchor, so reload.
      window.location.replace(answer.next);
      window.location.reload();
    }).catch(function () {
      say("Les notifications n'ont pas pu être désactivées. Réessayez plus tard.");
    });
  });
})();
