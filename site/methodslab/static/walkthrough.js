// Idempotency walkthrough: send the same request twice and show the collection after each.

document.querySelectorAll("[data-walkthrough]").forEach((walkthrough) => {
  walkthrough.querySelector("[data-needs-js]").hidden = true;
  walkthrough.querySelector("[data-js-only]").hidden = false;
  const button = walkthrough.querySelector("[data-run]");
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await run(walkthrough);
    } catch (error) {
      addAttempt(walkthrough, `The request failed: ${error.message}`);
    } finally {
      button.disabled = false;
    }
  });
});

async function run(walkthrough) {
  const { dataset } = walkthrough;
  walkthrough.querySelector("[data-attempts]").replaceChildren();
  if (dataset.setupMethod) {
    const setup = await send(dataset.setupMethod, dataset.setupPath, dataset.setupContentType, dataset.setupBody);
    addAttempt(walkthrough, `To start from a known state: ${dataset.setupMethod} ${dataset.setupPath}`, setup);
  }
  for (const ordinal of ["First", "Second"]) {
    const response = await send(dataset.method, dataset.path, dataset.contentType, dataset.body);
    const note = await readNote(noteAddress(response, dataset.path));
    const notes = await collection();
    addAttempt(walkthrough, `${ordinal} ${dataset.method} ${dataset.path}`, response, notes, note);
    showCollection(notes);
  }
}

// The note a request acted on: the one it created (Location), or the one it named.
function noteAddress(response, path) {
  return response.headers.get("Location") ?? (path === "/api/notes" ? null : path);
}

// Read the whole note, as the server now stores it, with the ETag a GET gives.
async function readNote(path) {
  if (!path) return null;
  const response = await fetch(path, { headers: { Accept: "application/json" }, cache: "no-store" });
  return { path, response, text: await response.text() };
}

function send(method, path, contentType, body) {
  const init = { method, headers: { Accept: "application/json" }, cache: "no-store" };
  if (body) {
    init.body = body;
    init.headers["Content-Type"] = contentType;
  }
  return fetch(path, init);
}

async function collection() {
  const response = await fetch("/api/notes", { headers: { Accept: "application/json" }, cache: "no-store" });
  return (await response.json()).notes;
}

function addAttempt(walkthrough, what, response, notes, note) {
  const item = document.createElement("li");
  const line = document.createElement("p");
  line.append(`${what} → `);
  if (response) {
    const status = document.createElement("strong");
    status.dataset.status = "";
    status.textContent = `${response.status} ${phrase(response.statusText)}`;
    line.append(status, `, ${validators(response)}`);
  }
  item.append(line);
  if (note) item.append(...noteShown(note));
  if (notes) {
    const after = document.createElement("p");
    after.textContent = `Your notes after it (${notes.length}):`;
    item.append(after, notesList(notes));
  }
  walkthrough.querySelector("[data-attempts]").append(item);
}

// The validators a response carried: a PUT's must be absent unless the server stored
// exactly what was sent (RFC 9110 §9.3.4).
function validators(response) {
  const found = ["ETag", "Last-Modified"]
    .filter((name) => response.headers.has(name))
    .map((name) => `${name}: ${response.headers.get(name)}`);
  return found.length ? `with ${found.join(", ")}` : "with no ETag or Last-Modified";
}

function noteShown({ path, response, text }) {
  const heading = document.createElement("p");
  const etag = response.headers.get("ETag");
  heading.textContent = `GET ${path} → ${response.status} ${phrase(response.statusText)}` +
    (etag ? `, ETag: ${etag}` : "") + ":";
  const pre = document.createElement("pre");
  pre.className = "exchange";
  pre.tabIndex = 0;
  pre.dataset.note = "";
  pre.setAttribute("aria-label", `The note at ${path}`);
  pre.append(Object.assign(document.createElement("code"), { textContent: pretty(text) }));
  return [heading, pre];
}

function pretty(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function notesList(notes) {
  const list = document.createElement("ul");
  list.className = "notes";
  list.dataset.notes = "";
  for (const note of notes) {
    const item = document.createElement("li");
    const id = document.createElement("code");
    id.textContent = note.id;
    const tags = note.tags?.length ? ` (tags: ${note.tags.join(", ")})` : "";
    item.append(id, `: ${note.text}${tags}`);
    list.append(item);
  }
  if (!notes.length) list.append(Object.assign(document.createElement("li"), { textContent: "(none)" }));
  return list;
}

// Refresh "Your notes": the server-rendered list, with its Delete forms, is
// outdated now, so it is replaced by a plain list and a way to reload it.
function showCollection(notes) {
  const holder = document.querySelector("[data-collection]");
  const reload = Object.assign(document.createElement("a"), {
    href: `${location.pathname}#your-notes`,
    textContent: "Reload the page for the Delete buttons",
  });
  holder.replaceChildren(notesList(notes), reload);
}

// Werkzeug sends reason phrases in capitals ("NO CONTENT"); show them as RFC 9110 writes them.
function phrase(statusText) {
  return statusText.toLowerCase().replace(/\b[a-z]/g, (letter) => letter.toUpperCase()).replace(/^Ok$/, "OK");
}
