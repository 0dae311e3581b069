// Conditional GET, live: fetch this very page, then again with If-None-Match.
import { statusText } from "./http.js";

const panel = document.querySelector("[data-conditional-get]");
panel.querySelector("[data-needs-js]").hidden = true;
const button = panel.querySelector("button");
button.hidden = false;
button.addEventListener("click", async () => {
  const list = panel.querySelector("[data-results]");
  const first = await fetch(location.pathname, { cache: "no-store" });
  const firstBody = await first.arrayBuffer();
  const etag = first.headers.get("ETag");
  const second = await fetch(location.pathname, { cache: "no-store", headers: { "If-None-Match": etag } });
  const secondBody = await second.arrayBuffer();
  list.replaceChildren(
    line(`GET ${location.pathname}`, first, firstBody, `ETag: ${etag}`),
    line(`GET ${location.pathname} with If-None-Match: ${etag}`, second, secondBody, "nothing to send again"),
  );
});

function line(what, response, body, note) {
  const item = document.createElement("li");
  const status = document.createElement("strong");
  status.dataset.status = String(response.status);
  status.textContent = statusText(response.status);
  item.append(`${what} → `, status, ` (${body.byteLength} bytes of body; ${note})`);
  return item;
}
