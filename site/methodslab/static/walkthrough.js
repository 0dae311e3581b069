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
    const notes = await collection();
    addAttempt(walkthrough, `${ordinal} ${dataset.method} ${dataset.path}`, response, notes);
    showCollection(notes);
  }
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

function addAttempt(walkthrough, what, response, notes) {
  const item = document.createElement("li");
  const line = document.createElement("p");
  line.append(`${what} → `);
  if (response) {
    const status = document.createElement("strong");
    status.dataset.status = "";
    status.textContent = `${response.status} ${phrase(response.statusText)}`;
    line.append(status);
  }
  item.append(line);
  if (notes) {
    const after = document.createElement("p");
    after.textContent = `Your notes after it (${notes.length}):`;
    item.append(after, notesList(notes));
  }
  walkthrough.querySelector("[data-attempts]").append(item);
}

function notesList(notes) {
  const list = document.createElement("ul");
  list.className = "notes";
  list.dataset.notes = "";
  for (const note of notes) {
    const item = document.createElement("li");
    const id = document.createElement("code");
    id.textContent = note.id;
    item.append(id, `: ${note.text}`);
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
