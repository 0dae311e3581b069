// The CORS lab: ask the sandboxed frame (another origin) to send a request to this site,
// then show what the server received and answered, preflight included.
// Fetch Standard: CORS-preflight fetch, CORS-preflight cache, CORS check.

const VARIANTS = {
  preflighted: {
    title: "A preflighted PUT",
    method: "PUT",
    headers: { "Content-Type": "application/json", "X-Lab-Demo": "preflighted" },
    body: '{"text": "sent from another origin"}',
  },
  refused: {
    title: "A DELETE the server refuses",
    method: "DELETE",
    headers: {},
  },
  simple: {
    title: "A simple POST",
    method: "POST",
    headers: { "Content-Type": "text/plain" },
    body: "no preflight for me",
  },
};
VARIANTS.cached = { ...VARIANTS.preflighted, title: "The same PUT again, preflight cached" };

const lab = document.querySelector("[data-cors-lab]");
if (lab) start(lab);

function start(lab) {
  const pending = new Map();
  let frame = null;
  let frameReady = null;
  window.addEventListener("message", (event) => {
    if (frame && event.source === frame.contentWindow) pending.get(event.data?.id)?.(event.data);
  });
  // The frame is made on the first press: a page that never runs the lab loads nothing more.
  function openFrame() {
    frame = document.createElement("iframe");
    frame.src = lab.dataset.frameSrc;
    frame.title = "The other origin, a document of this site";
    frame.className = "cors-lab-frame";
    // Under this site's other name the frame is another origin already; on the same
    // host it must be sandboxed to be one (its origin is then opaque: "null").
    if (new URL(frame.src, location.href).origin === location.origin) frame.sandbox = "allow-scripts";
    frameReady = new Promise((resolve) => pending.set(0, resolve));
    lab.querySelector("[data-frame-slot]").append(frame);
    return frameReady;
  }
  lab.querySelector("[data-needs-js]").hidden = true;
  lab.querySelector(".cors-lab-controls").hidden = false;

  let lastPreflightedRun = null;
  let sequence = 0;
  function ask(run, variant) {
    const id = ++sequence;
    const { method, headers, body } = variant;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      frame.contentWindow.postMessage({ id, run, method, headers, body }, "*");
    }).finally(() => pending.delete(id));
  }

  lab.querySelectorAll("[data-variant]").forEach((button) => {
    button.addEventListener("click", async () => {
      const name = button.dataset.variant;
      // A new run id, so a new URL: the preflight cache is keyed by URL, so a new run is
      // preflighted afresh; "again" reuses the last run's URL to hit that cache.
      const run = name === "cached" ? lastPreflightedRun : crypto.randomUUID();
      await (frameReady ?? openFrame());
      const reply = await ask(run, VARIANTS[name]);
      if (name === "preflighted") {
        lastPreflightedRun = run;
        lab.querySelector('[data-variant="cached"]').disabled = false;
      }
      const record = await fetch(`/labs/cors/run/${run}/exchanges`, { cache: "no-store" });
      const { exchanges, diagram } = await record.json();
      show(lab, name, reply, exchanges, diagram);
    });
  });
}

function show(lab, name, reply, exchanges, diagram) {
  const result = lab.querySelector(".cors-lab-result");
  result.hidden = false;
  result.querySelector("[data-title]").textContent = VARIANTS[name].title;
  result.querySelector("[data-fetch-said]").textContent = reply.ok
    ? `fetch() in the other origin got ${reply.status} ${reply.statusText}, and could read the answer.`
    : `fetch() in the other origin failed with ${reply.error}.`;
  result.querySelector("[data-verdict]").textContent = verdict(name, reply, exchanges);
  result.querySelector("[data-exchanges]").replaceChildren(...exchanges.map(exchangeItem));
  // The server drew the run (teaching/sequence_diagram.py, every label escaped there): parsed as
  // SVG, never as HTML, and adopted into the page so the site's stylesheet colours it.
  const svg = new DOMParser().parseFromString(diagram, "image/svg+xml").documentElement;
  result.querySelector("[data-diagram]").replaceChildren(document.importNode(svg, true));
}

function verdict(name, reply, exchanges) {
  const preflights = exchanges.filter((e) => e.request.line.startsWith("OPTIONS ")).length;
  const origin = exchanges[0]?.request.headers.find(([field]) => field === "Origin")?.[1] ?? "?";
  const said = `The server received ${exchanges.length} request${exchanges.length === 1 ? "" : "s"} in this run, ${preflights} of them OPTIONS, all from Origin: ${origin}.`;
  if (name === "preflighted") {
    return `${said} PUT, JSON and the X-Lab-Demo header are more than a plain HTML form can send, so the browser asked first: its OPTIONS names the method and the headers to come. The answer allows that origin, that method and those headers, so the browser sent the PUT.`;
  }
  if (name === "cached") {
    if (preflights === 1) {
      return `${said} The second PUT came without a new OPTIONS: the browser reused the first answer, which Access-Control-Max-Age: 600 lets it keep for 600 seconds, for this origin and this URL.`;
    }
    return `${said} The browser asked again. Browsers may keep a preflight's answer for less time than Access-Control-Max-Age allows, or not at all: Chromium keeps none for an opaque origin such as null, nor while its developer tools switch the cache off.`;
  }
  if (name === "refused") {
    return `${said} The server received the preflight and answered it, but its Access-Control-Allow-Methods lists PUT and POST only, so the browser never sent the DELETE and fetch() failed. The browser's console says why, in words like "Access to fetch at … from origin … has been blocked by CORS policy: Method DELETE is not allowed by Access-Control-Allow-Methods in preflight response." The script that called fetch() learns only that it failed, never why.`;
  }
  return `${said} A POST of text/plain with no other header is what a plain HTML form could send, so the browser sent it at once, with no preflight, then let the script read the answer because its Access-Control-Allow-Origin names the script's origin.`;
}

function exchangeItem({ request, response }) {
  const item = document.createElement("li");
  const pre = document.createElement("pre");
  pre.className = "exchange";
  pre.tabIndex = 0;
  const code = document.createElement("code");
  code.textContent = `${raw(request)}\n\n${raw(response)}`;
  pre.append(code);
  item.append(pre);
  return item;
}

function raw({ line, headers }) {
  return [line, ...headers.map(([name, value]) => `${name}: ${value}`)].join("\n");
}
