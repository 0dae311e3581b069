// Try it panels: predict, send the lesson's method with fetch() (to the echo, or PUT's and
// DELETE's to the sandbox), then read the verdict and the raw exchange.
import {
  judgement,
  notesModule,
  problemDetail,
  rawMessage,
  say,
  seenStartLine,
  statusText,
  titleCase,
} from "./http.js";

// Fields folded behind "show all": the browser's Sec-* fetch metadata and the site's
// security headers, which every answer carries and no lesson is about.
const FOLDED = /^(sec-|content-security-policy|cross-origin-|permissions-policy|referrer-policy|strict-transport-security|x-content-type-options|x-frame-options|x-request-id|priority|cookie|connection|accept-language)/i;

document.querySelectorAll("[data-try-it]").forEach((panel) => {
  const form = panel.querySelector(".try-it-form");
  panel.querySelector("[data-needs-js]").hidden = true;
  form.hidden = false;
  form.addEventListener("submit", (event) => {
    // The button stays enabled, so keyboard focus stays where it was.
    event.preventDefault();
    send(panel, form).catch((error) =>
      say(panel.querySelector("[data-verdict]"), `The request failed: ${error.message}`));
  });
});

async function send(panel, form) {
  const method = panel.dataset.method;
  const query = (form.elements.query?.value ?? "").trim().replace(/^\?/, "");
  const target = panel.dataset.path + (query ? `?${query}` : "");
  const echo = target.startsWith("/echo");
  const setup = panel.dataset.setupMethod ? await sendSetup(panel.dataset) : "";
  const headers = { Accept: "application/json" };
  const init = { method, headers, cache: "no-store" };
  const body = form.elements.body ? form.elements.body.value : "";
  if (body) {
    init.body = body;
    headers["Content-Type"] = form.elements.content_type.value;
  }

  const response = await fetch(target, init);
  const text = await response.text();
  const seen = echo ? parseEcho(response, text) : null;
  const request = seen ? requestSeen(seen) : requestSent(method, target, headers, body);
  const answer = {
    startLine: `${seen ? seen.protocol : "HTTP/1.1"} ${statusText(response.status)}`,
    headers: [...response.headers].map(([name, value]) => [titleCase(name), value]),
    body: text,
  };
  if (!echo) await (await notesModule()).refreshCollection(`${method} ${target} → ${statusText(response.status)}`);

  const result = panel.querySelector(".try-it-result");
  result.hidden = false;
  // Honest about the source: the echo's description, or only what fetch() was asked to send.
  result.querySelector("[data-request-label]").textContent = seen
    ? "Request, as the server saw it"
    : "Request, as fetch() was asked to send it (the browser adds more fields)";
  showMessage(result.querySelector("[data-request]"), request);
  // The echo's body is the request above, described: shown in full under "show all".
  showMessage(result.querySelector("[data-response]"), seen
    ? { ...answer, body: `(${text.length} characters: the request above, described as JSON; show all below)` }
    : answer);
  showAllHeaders(result.querySelector("[data-all-headers]"), request, answer);
  showCompression(result.querySelector("[data-compressed]"), response, text);
  result.querySelector("[data-builder-link]").href = builderLink(method, target, headers, body);

  const verdict = panel.querySelector("[data-verdict]");
  const detail = problemDetail(response, text);
  if (!response.ok) {
    // The verdict of an error is about the error, never about the method.
    say(verdict, `${statusText(response.status)}: the server refused this request, so it ` +
      `${echo ? "described" : "changed"} nothing.`, detail && `It says: ${detail}`, setup,
      (form.elements.body || form.elements.query) &&
        "Your prediction was about the request as first filled in; change it back to compare.");
  } else {
    say(verdict, `${statusText(response.status)}. ${panel.dataset.methodVerdict}`, setup,
      measured(method, response, text), judgement(form, response.status));
  }
  if (method === "HEAD") await compareHeadWithGet(result);
}

// The builder filled in with this request (pages/builder.py reads the same fields), where
// the server writes it out for curl, fetch(), Python, HTTPie and raw HTTP.
function builderLink(method, target, headers, body) {
  const query = new URLSearchParams({ method, url: target });
  for (const [name, value] of Object.entries(headers)) query.append("header", `${name}: ${value}`);
  if (body) query.append("body", body);
  return `/builder?${query}#copy-as`;
}

// Send the setup request (a note to delete) and say how it went.
async function sendSetup({ setupMethod, setupPath, setupContentType, setupBody }) {
  const init = { method: setupMethod, headers: { Accept: "application/json" }, cache: "no-store" };
  if (setupBody) {
    init.body = setupBody;
    init.headers["Content-Type"] = setupContentType;
  }
  const response = await fetch(setupPath, init);
  if (response.ok) return `First ${setupMethod} ${setupPath} → ${statusText(response.status)}, so that the note exists.`;
  const detail = problemDetail(response, await response.text());
  return `First ${setupMethod} ${setupPath} → ${statusText(response.status)}: the note could not be made` +
    (detail ? ` (${detail})` : "") + ".";
}

// What the exchange showed, in numbers, for the methods whose answer is headers only.
function measured(method, response, text) {
  if (method === "HEAD") {
    return `No body came back (${text.length} bytes), yet Content-Length says ` +
      `${response.headers.get("Content-Length")}.`;
  }
  if (method === "OPTIONS") return `Allow: ${response.headers.get("Allow")}.`;
  return "";
}

// The echo endpoint describes the request as the server saw it, with every
// header the browser added; HEAD and OPTIONS answers carry no such description.
function parseEcho(response, text) {
  if (!response.headers.get("Content-Type")?.startsWith("application/json")) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function requestSeen(seen) {
  return {
    startLine: seenStartLine(seen),
    headers: Object.entries(seen.headers),
    body: seen.body,
  };
}

function requestSent(method, target, headers, body) {
  return {
    startLine: `${method} ${target} HTTP/1.1`,
    headers: [["Host", location.host], ...Object.entries(headers)],
    body,
  };
}

// Write a message with its start line and body highlighted and the folded fields left out.
function showMessage(pre, { startLine, headers, body }) {
  const shown = headers.filter(([name]) => !FOLDED.test(name));
  const code = document.createElement("code");
  code.append(Object.assign(document.createElement("strong"), { textContent: startLine }), "\n");
  code.append(rawMessage("", shown).slice(1));
  if (shown.length < headers.length) code.append(`(${headers.length - shown.length} more fields: show all below)\n`);
  if (body) code.append("\n", Object.assign(document.createElement("mark"), { textContent: body }));
  pre.replaceChildren(code);
}

function showAllHeaders(details, request, answer) {
  const count = request.headers.length + answer.headers.length;
  details.querySelector("summary").textContent = `Show all ${count} header fields, and the bodies`;
  details.querySelector("code").textContent = rawMessage(request.startLine, request.headers, request.body) +
    "\n\n" + rawMessage(answer.startLine, answer.headers, answer.body);
}

// RFC 9110 §8.4, §8.6: Content-Length counts the content as sent, after its coding.
function showCompression(note, response, text) {
  const coding = response.headers.get("Content-Encoding");
  const length = response.headers.get("Content-Length");
  note.hidden = !(coding && length && text);
  note.textContent = `The answer came compressed (Content-Encoding: ${coding}): its ` +
    `Content-Length, ${length}, counts the compressed bytes that crossed the wire. The browser ` +
    `decoded them, so the body below is ${new TextEncoder().encode(text).length} bytes.`;
}

// Fetch this very page with GET and with HEAD and set their headers side by side.
async function compareHeadWithGet(result) {
  const [get, head] = await Promise.all(
    ["GET", "HEAD"].map((method) => fetch(location.pathname, { method, cache: "no-store" })),
  );
  const getBody = await get.arrayBuffer();
  const headBody = await head.arrayBuffer();
  const rows = ["Content-Type", "Content-Encoding", "Content-Length"].map((name) => [name, get.headers.get(name), head.headers.get(name)]);
  rows.push(["Body received (bytes, decoded)", String(getBody.byteLength), String(headBody.byteLength)]);
  const table = result.querySelector("[data-compare]");
  table.tBodies[0].replaceChildren(...rows.map(tableRow));
  table.hidden = false;
}

function tableRow([name, ...values]) {
  const row = document.createElement("tr");
  const header = document.createElement("th");
  header.scope = "row";
  header.textContent = name;
  row.append(header, ...values.map((value) => {
    const cell = document.createElement("td");
    cell.textContent = value ?? "—";
    return cell;
  }));
  return row;
}
