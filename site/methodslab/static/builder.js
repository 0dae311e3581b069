import { rawMessage, seenStartLine, statusText, titleCase } from "./http.js";

// The request builder: send any method, path, headers and body to this site with fetch(),
// show the raw exchange, and explain what the browser and the server did with it.
// Facts: Fetch Standard ("normalize a method", "forbidden method", "forbidden
// request-header", "request body" for GET/HEAD); RFC 9110 §9.1, §15.5.6, §15.5.16, §15.6.2.

const NORMALIZED = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];
const FORBIDDEN_METHODS = ["CONNECT", "TRACE", "TRACK"];
const FORBIDDEN_HEADERS = [
  "accept-charset", "accept-encoding", "access-control-request-headers",
  "access-control-request-method", "connection", "content-length", "cookie", "cookie2",
  "date", "dnt", "expect", "host", "keep-alive", "origin", "referer", "set-cookie", "te",
  "trailer", "transfer-encoding", "upgrade", "via",
];
const HISTORY_KEY = "builder-history";
const HISTORY_SIZE = 10;
const SHOWN_BODY = 4000;

const builder = document.querySelector("[data-builder]");
if (builder) start(builder);

function start(builder) {
  const form = builder.querySelector("[data-builder-form]");
  builder.hidden = false;
  document.querySelector("[data-plain-form]").hidden = true;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await send(builder, readForm(form));
    showHistory(builder, form);
  });
  showHistory(builder, form);
}

function readForm(form) {
  const get = (name) => form.elements[name].value;
  return {
    method: get("method").trim(),
    path: get("path").trim(),
    headers: get("headers"),
    contentType: get("content_type").trim(),
    body: get("body"),
  };
}

// Header lines as [name, value] pairs; a line without a colon is reported, not sent.
function parseHeaders(text, notes) {
  const pairs = [];
  for (const line of text.split("\n").map((l) => l.trim()).filter(Boolean)) {
    const colon = line.indexOf(":");
    if (colon < 1) {
      notes.push(`The line "${line}" has no "Name:" before a colon, so it was not sent.`);
      continue;
    }
    pairs.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return pairs;
}

function isForbiddenHeader(name) {
  const lower = name.toLowerCase();
  return FORBIDDEN_HEADERS.includes(lower) || lower.startsWith("proxy-") || lower.startsWith("sec-");
}

// The request exactly as fetch() will be asked to send it, with the notes that explain it.
function prepare(spec) {
  const notes = [];
  const headers = parseHeaders(spec.headers, notes);
  const dropped = headers.filter(([name]) => isForbiddenHeader(name)).map(([name]) => name);
  if (dropped.length) {
    notes.push(`The browser does not let a script set ${dropped.join(", ")}: these are forbidden request headers, which only the browser itself writes, so fetch() left them out without a word.`);
  }
  const sent = headers.filter(([name]) => !isForbiddenHeader(name));
  if (spec.body && spec.contentType && !sent.some(([name]) => name.toLowerCase() === "content-type")) {
    sent.push(["Content-Type", spec.contentType]);
  }
  const init = { method: spec.method, headers: sent, cache: "no-store" };
  // What goes out: fetch() upper-cases six names and sends any other as written.
  const upper = spec.method.toUpperCase();
  const method = NORMALIZED.includes(upper) ? upper : spec.method;
  if (spec.body) init.body = spec.body;
  return { init, notes, sent, method };
}

function isSitePath(path) {
  // One "/", then not "/" or "\": "//host" or "/\host" would name another host.
  return /^\/(?![/\\])/.test(path) && !/[\s\\]/.test(path);
}

async function send(builder, spec) {
  const result = builder.querySelector("[data-builder-result]");
  const { init, notes, sent, method } = prepare(spec);
  showCopyLink(builder, spec, sent, method);
  const requestTitle = result.querySelector("[data-request-title]");
  requestTitle.textContent = "Request, as fetch() was asked to send it";
  result.hidden = false;
  const requestBox = result.querySelector("[data-request] code");
  const responseBox = result.querySelector("[data-response] code");
  requestBox.textContent = "";
  responseBox.textContent = "";
  if (!isSitePath(spec.path)) {
    notes.push("The path must start with a single / and name a page of this site: the builder sends nothing to other hosts.");
    showNotes(result, notes);
    return;
  }
  const upper = spec.method.toUpperCase();
  if (FORBIDDEN_METHODS.includes(upper)) {
    // Fetch Standard §2.2.1 (Methods): "forbidden method"; RFC 9110 §9.3.6 (CONNECT),
    // §9.3.8 (TRACE: a client must not send credentials or cookies in one).
    notes.push(`Nothing was sent: fetch() refuses ${spec.method} before any request leaves the browser. ` +
      "The Fetch Standard (§2.2.1, Methods) calls CONNECT, TRACE and TRACK forbidden methods, whatever their case: " +
      "CONNECT asks for a tunnel to another host (RFC 9110 §9.3.6), and TRACE, with TRACK its non-standard twin, " +
      "echoes the request back, which would let a page read the cookies the browser sent (RFC 9110 §9.3.8).");
  } else if (NORMALIZED.includes(upper) && spec.method !== upper) {
    notes.push(`fetch() upper-cased ${spec.method} to ${upper}: it does so for DELETE, GET, HEAD, OPTIONS, POST and PUT only.`);
  } else if (spec.method !== upper) {
    notes.push(`fetch() sent ${spec.method} exactly as written: it upper-cases only DELETE, GET, HEAD, OPTIONS, POST and PUT, and method names are case-sensitive, so ${spec.method} is not ${upper}.`);
  }
  let response;
  try {
    response = await fetch(spec.path, init);
  } catch (error) {
    if (!FORBIDDEN_METHODS.includes(upper)) {
      notes.push(`fetch() refused to send the request: ${error.name}: ${error.message}.` +
        (spec.body && ["GET", "HEAD"].includes(upper) ? " A GET or HEAD request may not carry a body in fetch()." : ""));
    }
    // A forbidden method, or a body on GET or HEAD: the Request constructor throws, so
    // nothing left the browser. Any other failure may come after the request went out.
    const unsent = FORBIDDEN_METHODS.includes(upper) || Boolean(spec.body && ["GET", "HEAD"].includes(upper));
    if (unsent) requestTitle.textContent = "Request fetch() refused: nothing was sent";
    requestBox.textContent = requestAsked(method, spec.path, sent, spec.body, unsent);
    showNotes(result, notes);
    remember({ ...spec, status: unsent ? "refused by fetch(): nothing sent" : "refused by fetch()" });
    return;
  }
  const text = await response.text();
  const seen = echoed(response, text);
  requestBox.textContent = seen ? requestSeen(seen) : requestAsked(method, spec.path, sent, spec.body);
  if (seen) requestTitle.textContent = "Request, as the server received it";
  responseBox.textContent = rawResponse(response, text);
  notes.push(...explainStatus(spec, response, seen));
  showNotes(result, notes);
  remember({ ...spec, status: `${response.status} ${response.statusText}` });
}

function explainStatus(spec, response, seen) {
  const notes = [];
  const status = response.status;
  if (response.redirected) notes.push(`fetch() followed a redirect: the answer below is from ${new URL(response.url).pathname}.`);
  // RFC 9112 §4: the reason phrase is informative; a client SHOULD ignore it. RFC 9110 §15
  // renamed some (413, 422); the server's HTTP library may still write the older ones.
  const standard = statusText(status).slice(String(status).length).trim();
  if (response.statusText && standard && response.statusText !== standard) {
    notes.push(`The status line says "${status} ${response.statusText}"; RFC 9110 names ${status} "${standard}". The words after the code are informative only: clients act on the number and should ignore them (RFC 9112 §4). This server's HTTP library writes its own, older wording, and HTTP/2 and HTTP/3 send no words at all.`);
  }
  if (status === 501) {
    const known = spec.method !== spec.method.toUpperCase() ? ` It knows ${spec.method.toUpperCase()}, but method names are case-sensitive, so ${spec.method} is another, unknown method.` : "";
    notes.push(`501 Not Implemented: this server does not implement a method called ${spec.method}, for any URL.${known} A method it implements that this URL does not allow gets 405 instead.`);
  } else if (status === 405) {
    notes.push(`405 Method Not Allowed: the server implements ${spec.method}, but this URL does not allow it. Its Allow header lists what it does allow: ${response.headers.get("Allow") ?? "(none sent)"}.`);
  } else if (status === 415) {
    notes.push("415 Unsupported Media Type: the server does not take a body of this content type here. The answer's detail names the type it wants.");
  } else if (status === 404) {
    notes.push("404 Not Found: there is nothing at this path. /echo/ followed by anything is always there.");
  }
  if (seen) {
    notes.push("The echo endpoint answered with the request as it received it, every header the browser added included: that is what the request box shows.");
  } else if (spec.path.startsWith("/echo") && spec.method.toUpperCase() === "HEAD" && response.ok) {
    // RFC 9110 §9.3.2: the server answers HEAD as GET, without the content; Flask runs the view.
    notes.push("The echo endpoint did run and describe the request, as for a GET, but an answer to HEAD carries no content, so the description never arrived: the request box shows what fetch() was asked to send. Send GET to see the description.");
  } else if (spec.path.startsWith("/echo")) {
    notes.push("The server answered before the echo endpoint could describe the request, so the request box shows what fetch() was asked to send; the browser adds headers of its own, such as User-Agent.");
  } else {
    notes.push("This path does not describe requests, so the request box shows what fetch() was asked to send; the browser adds headers of its own, such as User-Agent. Send it to /echo/… to see them all.");
  }
  return notes;
}

function showNotes(result, notes) {
  result.querySelector("[data-notes]").replaceChildren(...notes.map((note) => {
    const item = document.createElement("li");
    item.textContent = note;
    return item;
  }));
}

function echoed(response, text) {
  if (!new URL(response.url).pathname.startsWith("/echo")) return null;
  if (!response.headers.get("Content-Type")?.startsWith("application/json")) return null;
  try {
    const seen = JSON.parse(text);
    return seen && typeof seen.method === "string" && seen.headers ? seen : null;
  } catch {
    return null;
  }
}

function requestSeen(seen) {
  return rawMessage(seenStartLine(seen), Object.entries(seen.headers), seen.body);
}

function requestAsked(method, path, headers, body, unsent = false) {
  return rawMessage(`${method} ${path} HTTP/1.1`, [["Host", location.host], ...headers], body) +
    (unsent ? "\n(never sent: fetch() refused it)" : "\n(as fetch() was asked to send it; the browser adds headers of its own)");
}

function rawResponse(response, text) {
  const headers = [...response.headers].map(([name, value]) => [titleCase(name), value]);
  const shown = text.length > SHOWN_BODY ? `${text.slice(0, SHOWN_BODY)}\n(… ${text.length - SHOWN_BODY} more characters)` : text;
  return rawMessage(`HTTP/1.1 ${response.status} ${response.statusText}`, headers, shown);
}

// The builder page filled in with what was just sent, where the server writes it out
// for every client (methodslab/snippets.py: the one place snippets are made).
function showCopyLink(builder, spec, sent, method) {
  const query = new URLSearchParams({ method, url: spec.path });
  for (const [name, value] of sent) query.append("header", `${name}: ${value}`);
  if (spec.body) query.append("body", spec.body);
  const link = builder.querySelector("[data-copy-link]");
  link.href = `/builder?${query}#copy-as`;
}

function loadHistory() {
  try {
    const stored = JSON.parse(localStorage.getItem(HISTORY_KEY) ?? "[]");
    return Array.isArray(stored) ? stored.filter((entry) => entry && typeof entry.method === "string" && typeof entry.path === "string") : [];
  } catch {
    return [];
  }
}

function remember(entry) {
  const history = [entry, ...loadHistory()].slice(0, HISTORY_SIZE);
  try {
    localStorage.setItem(HISTORY_KEY, JSON.stringify(history));
  } catch {
    // Storage full or switched off: the page works without a history.
  }
}

function showHistory(builder, form) {
  const list = builder.querySelector("[data-history]");
  list.replaceChildren(...loadHistory().map((entry) => {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "link-button";
    // textContent: stored values are shown as text, never as markup.
    button.textContent = `${entry.method} ${entry.path} → ${entry.status ?? "?"}`;
    button.addEventListener("click", () => {
      form.elements.method.value = entry.method;
      form.elements.path.value = entry.path;
      form.elements.headers.value = String(entry.headers ?? "");
      form.elements.content_type.value = String(entry.contentType ?? "");
      form.elements.body.value = String(entry.body ?? "");
      form.elements.method.focus();
    });
    item.append(button);
    return item;
  }));
}
