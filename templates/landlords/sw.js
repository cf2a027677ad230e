{% load static %}/* The portal's service worker (docs/app.md). Served at /sw.js: its scope is the host.
 *
 * - The app's shell (styles, scripts, icons, the offline page) is cached and served from
 *   the cache, refreshed in the background.
 * - Pages are always asked to the network and never stored: personal pages and
 *   documents never go into the browser's caches. Without a network, a page shows the
 *   offline page instead.
 * - Push messages (Web Push) are shown as notifications; a tap opens their page.
 */
const CACHE = "app-shell-{{ cache_version }}";
const OFFLINE_URL = "{{ offline_url }}";
const SHELL = [
  OFFLINE_URL,
  "{% static 'css/site.css' %}",
  "{% static 'js/app.js' %}",
  "/theme.css",
  "/app/icone-192.png",
];
const SHELL_PREFIXES = ["/static/", "/app/icone-"];
const SHELL_PATHS = ["/theme.css", "/logo"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      // Fetched without cookies: the cached shell is the same for everyone.
      Promise.all(
        SHELL.map((url) =>
          fetch(url, { credentials: "omit" }).then((response) => {
            if (response.ok) return cache.put(url, response);
            return undefined;
          })
        )
      )
    ).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

function isShell(url) {
  return SHELL_PREFIXES.some((prefix) => url.pathname.startsWith(prefix)) ||
    SHELL_PATHS.includes(url.pathname);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // Network only; nothing of a page is kept.
    event.respondWith(
      fetch(request).catch(() => caches.match(OFFLINE_URL))
    );
    return;
  }
  if (isShell(url)) {
    event.respondWith(
      caches.open(CACHE).then((cache) =>
        cache.match(request).then((cached) => {
          const fresh = fetch(request).then((response) => {
            if (response.ok) cache.put(request, response.clone());
            return response;
          });
          return cached || fresh;
        })
      )
    );
  }
  // Anything else (documents, CSV, API): the network, as if there were no worker.
});

self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (error) {
    message = { title: event.data.text() };
  }
  event.waitUntil(
    self.registration.showNotification(message.title || "{{ landlord.name|escapejs }}", {
      body: message.body || "",
      icon: "/app/icone-192.png",
      tag: message.tag || undefined,
      lang: "fr",
      data: { url: message.url || "/" },
    })
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(event.notification.data.url || "/", self.location.origin);
  if (target.origin !== self.location.origin) return;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      for (const client of windows) {
        if ("focus" in client) {
          client.navigate(target.href);
          return client.focus();
        }
      }
      return self.clients.openWindow(target.href);
    })
  );
});
