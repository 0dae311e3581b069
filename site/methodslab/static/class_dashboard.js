// Keep the class dashboard up to date: ask for its live part with If-None-Match every few
// seconds (304 while nothing changed, RFC 9110 §13.1.2), and only while the tab is shown.

const live = document.querySelector("[data-live]");
const status = document.querySelector("[data-live-status]");
let etag = `W/"${live.dataset.etag}"`;

async function refresh() {
  if (document.hidden) return;
  const headers = etag ? { "If-None-Match": etag } : {};
  try {
    // no-store: the browser's cache would answer a 304 with its copy, hiding the 304.
    const response = await fetch(live.dataset.live, { headers, cache: "no-store" });
    if (response.status === 200) {
      const fresh = response.headers.get("ETag");
      // The server's own rendering, nicknames escaped (templates/classes/_live.html).
      live.innerHTML = (await response.json()).html;
      etag = fresh;
      status.textContent = "Updates by itself.";
    } else if (response.status === 404) {
      status.textContent = "This class is closed.";
      clearInterval(timer);
    }
  } catch {
    status.textContent = "Offline: retrying.";
  }
}

const timer = setInterval(refresh, Number(live.dataset.every));
