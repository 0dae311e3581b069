// Idempotency walkthrough: predict, send the same request twice, and show the note and
// the collection after each send.
import { judgement, notesModule, problemDetail, say, statusText } from "./http.js";

// Answers that mean the sandbox cannot take the request: full (409), too many new
// sandboxes from this network (429), or the lab full (503). Nothing can be shown then.
const SANDBOX_REFUSED = new Set([409, 429, 503]);

document.querySelectorAll("[data-walkthrough]").forEach((walkthrough) => {
  // One notice stands before the panels of a sandbox, for all of them.
  walkthrough.closest(".sandbox").querySelector("[data-needs-js]").hidden = true;
  walkthrough.querySelector("[data-js-only]").hidden = false;
  const button = walkthrough.querySelector("[data-run]");
  button.addEventListener("click", () => start(walkthrough, button));
});

// Two walkthroughs on a phone: two tabs (WAI-ARIA Authoring Practices, "Tabs", with
// automatic activation). Wider, or if the width changes back, both panels show again.
const PHONE = matchMedia("(max-width: 37.49rem)");
document.querySelectorAll("[data-tabs]").forEach((holder) => {
  const tablist = holder.querySelector("[data-tablist]");
  const tabs = [...tablist.querySelectorAll("button")];
  const panels = tabs.map((tab) => document.getElementById(tab.getAttribute("aria-controls")));
  const headings = panels.map((panel) => panel.getAttribute("aria-labelledby"));
  // The roles only here: without this script, the HTML has no tabs, only two panels.
  tablist.setAttribute("role", "tablist");
  tablist.setAttribute("aria-label", "Two walkthroughs");
  tabs.forEach((tab) => tab.setAttribute("role", "tab"));
  let selected = 0;
  function show() {
    const tabbed = PHONE.matches;
    tablist.hidden = !tabbed;
    tabs.forEach((tab, index) => {
      const chosen = index === selected;
      tab.setAttribute("aria-selected", String(chosen));
      tab.tabIndex = chosen ? 0 : -1;
      panels[index].setAttribute("role", tabbed ? "tabpanel" : "group");
      panels[index].setAttribute("aria-labelledby", tabbed ? tab.id : headings[index]);
      panels[index].hidden = tabbed && !chosen;
    });
  }
  function choose(index) {
    selected = (index + tabs.length) % tabs.length;
    show();
    tabs[selected].focus();
  }
  tabs.forEach((tab, index) => tab.addEventListener("click", () => choose(index)));
  const moves = { ArrowRight: 1, ArrowLeft: -1 };
  tablist.addEventListener("keydown", (event) => {
    if (event.key in moves) choose(selected + moves[event.key]);
    else if (event.key === "Home") choose(0);
    else if (event.key === "End") choose(tabs.length - 1);
    else return;
    event.preventDefault();
  });
  PHONE.addEventListener("change", show);
  show();
});

// While it runs, the button says so with aria-disabled but keeps keyboard focus,
// which a disabled button would drop.
async function start(walkthrough, button) {
  if (button.getAttribute("aria-disabled") === "true") return;
  button.setAttribute("aria-disabled", "true");
  const verdict = walkthrough.querySelector("[data-verdict]");
  try {
    await run(walkthrough, verdict);
  } catch (error) {
    say(verdict, `The request failed: ${error.message}`);
  } finally {
    button.removeAttribute("aria-disabled");
  }
}

async function run(walkthrough, verdict) {
  const { dataset } = walkthrough;
  walkthrough.querySelector("[data-attempts]").replaceChildren();
  if (dataset.setupMethod) {
    const setup = await exchange(dataset.setupMethod, dataset.setupPath, dataset.setupContentType, dataset.setupBody);
    // Deleting a note that is not there yet is the starting state wanted (RFC 9110 §15.5.5).
    const expected = setup.response.status === 404 && dataset.setupMethod === "DELETE"
      ? "expected: there was no such note yet, which is the starting state wanted" : "";
    addStep(walkthrough, `To start from a known state: ${dataset.setupMethod} ${dataset.setupPath}`, setup, expected);
    if (SANDBOX_REFUSED.has(setup.response.status)) return refused(walkthrough, verdict, setup);
  }
  const statuses = [];
  const { notesList, showCollection } = await notesModule();
  for (const ordinal of ["First", "Second"]) {
    const sent = await exchange(dataset.method, dataset.path, dataset.contentType, dataset.body);
    if (SANDBOX_REFUSED.has(sent.response.status)) {
      addStep(walkthrough, `${ordinal} ${dataset.method} ${dataset.path}`, sent);
      return refused(walkthrough, verdict, sent);
    }
    const note = await readNote(noteAddress(sent.response, dataset.path));
    const notes = await collection();
    addStep(walkthrough, `${ordinal} ${dataset.method} ${dataset.path}`, sent, "", note,
      { count: notes.length, list: notesList(notes) });
    statuses.push(statusText(sent.response.status));
    showCollection(notes);
  }
  say(verdict, `${dataset.method} twice: ${statuses.join(", then ")}.`, judgement(walkthrough));
}

// Say exactly why the walkthrough stopped, and offer to empty the sandbox and run again.
function refused(walkthrough, verdict, { response, detail }) {
  const full = response.status === 409;
  say(verdict, `Stopped: ${statusText(response.status)}.`, detail && `The server says: ${detail}`,
    full ? "The walkthrough needs room for a note. Empty your sandbox, and it runs again." : "");
  if (!full) return;
  const reset = Object.assign(document.createElement("button"), {
    type: "button",
    className: "secondary",
    textContent: "Empty my sandbox and run again",
  });
  reset.addEventListener("click", async () => {
    await fetch("/api/notes", { method: "DELETE", cache: "no-store" });
    // Focus goes back to the walkthrough's button before this one disappears.
    const button = walkthrough.querySelector("[data-run]");
    button.focus();
    button.click();
  });
  verdict.append(reset);
}

// The note a request acted on: the one it created (Location), or the one it named.
function noteAddress(response, path) {
  return response.headers.get("Location") ?? (path === "/api/notes" ? null : path);
}

// Read the whole note, as the server now stores it, with the ETag a GET gives.
async function readNote(path) {
  if (!path) return null;
  return { path, ...(await exchange("GET", path)) };
}

// Send a request and read its answer, with the detail of a problem document.
async function exchange(method, path, contentType = "", body = "") {
  const init = { method, headers: { Accept: "application/json" }, cache: "no-store" };
  if (body) {
    init.body = body;
    init.headers["Content-Type"] = contentType;
  }
  const response = await fetch(path, init);
  const text = await response.text();
  return { response, text, detail: problemDetail(response, text) };
}

async function collection() {
  const response = await fetch("/api/notes", { headers: { Accept: "application/json" }, cache: "no-store" });
  return (await response.json()).notes;
}

function addStep(walkthrough, what, { response, detail }, expected = "", note = null, notes = null) {
  const item = document.createElement("li");
  const line = document.createElement("p");
  const status = Object.assign(document.createElement("strong"), { textContent: statusText(response.status) });
  status.dataset.status = "";
  line.append(`${what} → `, status, `, ${validators(response)}`);
  if (expected) line.append(` (${expected})`);
  item.append(line);
  if (detail) item.append(Object.assign(document.createElement("p"), { className: "detail", textContent: `The server says: ${detail}` }));
  if (note) item.append(...noteShown(note));
  if (notes) {
    const all = document.createElement("details");
    all.append(Object.assign(document.createElement("summary"), { textContent: `Your notes after it (${notes.count})` }), notes.list);
    item.append(all);
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
  heading.textContent = `The note now: GET ${path} → ${statusText(response.status)}` +
    (etag ? `, ETag: ${etag}` : "") + ":";
  const pre = document.createElement("pre");
  pre.className = "exchange";
  pre.tabIndex = 0;
  pre.dataset.note = "";
  pre.setAttribute("role", "figure"); // a name needs a role that takes one: see macros.html
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
