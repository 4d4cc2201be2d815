// Attest's service worker: keeps the app shell so that the gate scanner and the worker's badge
// open with no connection. API calls always go to the network and are never stored here.
const CACHE = "attest-shell-v1";

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const index = await fetch("/", { cache: "no-cache" });
      const html = await index.clone().text();
      await cache.put("/index.html", index);
      const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
      await cache.addAll([...new Set(assets), "/favicon.svg", "/manifest.webmanifest"]);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

async function keep(request, response) {
  if (response.ok) await (await caches.open(CACHE)).put(request, response);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    // The network first (a new version shows at once); the kept shell when offline.
    event.respondWith(
      fetch(request)
        .then((response) => {
          event.waitUntil(keep("/index.html", response.clone()));
          return response;
        })
        .catch(async () => (await caches.match("/index.html", { ignoreVary: true })) ?? Response.error()),
    );
    return;
  }
  if (url.pathname.startsWith("/assets/") || url.pathname === "/favicon.svg" || url.pathname === "/manifest.webmanifest") {
    // Hashed and immutable: the kept copy first, kept on first fetch.
    event.respondWith(
      caches.match(request, { ignoreVary: true }).then(
        (hit) =>
          hit ??
          fetch(request).then((response) => {
            event.waitUntil(keep(request, response.clone()));
            return response;
          }),
      ),
    );
  }
});
