// Try it panels: send the lesson's method with fetch() and show the raw exchange.
// A module script: its names stay out of the global scope the other scripts share.

document.querySelectorAll("[data-try-it]").forEach((panel) => {
  const form = panel.querySelector("form");
  panel.querySelector("[data-needs-js]").hidden = true;
  form.hidden = false;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send(panel, form).catch((error) => showFailure(panel, error));
  });
});

async function send(panel, form) {
  const method = panel.dataset.method;
  const query = form.elements.query.value.trim().replace(/^\?/, "");
  const target = panel.dataset.path + (query ? `?${query}` : "");
  const headers = { Accept: "application/json" };
  const init = { method, headers, cache: "no-store" };
  const body = form.elements.body ? form.elements.body.value : "";
  if (body) {
    init.body = body;
    headers["Content-Type"] = form.elements.content_type.value;
  }

  const response = await fetch(target, init);
  const text = await response.text();
  const seen = parseEcho(response, text);

  const result = panel.querySelector(".try-it-result");
  result.hidden = false;
  result.querySelector("[data-request] code").textContent =
    seen ? requestSeen(seen) : requestSent(method, target, headers, body);
  result.querySelector("[data-response] code").textContent = rawResponse(response, seen, text);
  result.querySelector("[data-verdict]").textContent = verdict(method, response, text);
  if (method === "HEAD") await compareHeadWithGet(result);
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
  const query = new URLSearchParams();
  for (const [name, values] of Object.entries(seen.query)) values.forEach((v) => query.append(name, v));
  const target = seen.path + (query.size ? `?${query}` : "");
  return raw(`${seen.method} ${target} ${seen.protocol}`, Object.entries(seen.headers), seen.body);
}

function requestSent(method, target, headers, body) {
  const lines = [["Host", location.host], ...Object.entries(headers)];
  return raw(`${method} ${target} HTTP/1.1`, lines, body) +
    "\n(as fetch() was asked to send it; the browser adds headers such as User-Agent)";
}

function rawResponse(response, seen, text) {
  const protocol = seen ? seen.protocol : "HTTP/1.1";
  const headers = [...response.headers].map(([name, value]) => [titleCase(name), value]);
  return raw(`${protocol} ${response.status} ${response.statusText}`, headers, text);
}

function verdict(method, response, text) {
  if (method === "HEAD") {
    return `No body came back (${text.length} bytes), yet Content-Length says ` +
      `${response.headers.get("Content-Length")}: the size a GET would receive.`;
  }
  if (method === "OPTIONS") {
    return `Allow: ${response.headers.get("Allow")}. Flask answered by itself, with no body.`;
  }
  return `${response.status} ${response.statusText}: the echo endpoint described your request.`;
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

function raw(startLine, headers, body) {
  return [startLine, ...headers.map(([name, value]) => `${name}: ${value}`), ""].join("\n") +
    (body ? `\n${body}` : "");
}

// fetch() lower-cases header names; HTTP/1.1 servers send them capitalised.
function titleCase(name) {
  return name.replace(/(^|-)([a-z])/g, (_, dash, letter) => dash + letter.toUpperCase());
}

function showFailure(panel, error) {
  const result = panel.querySelector(".try-it-result");
  result.hidden = false;
  result.querySelector("[data-verdict]").textContent = `The request failed: ${error.message}`;
}
