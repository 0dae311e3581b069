// "Your notes" in a lesson's sandbox, kept live: each note has a Delete button that sends
// DELETE /api/notes/<id> with fetch() and reads the list again. Without JavaScript the
// same buttons are forms that POST with _method=DELETE (notes/api.py: overridden).
// Loaded when first needed (http.js: notesModule), so a lesson's first load stays light.
import { problemDetail, statusText } from "./http.js";

const holder = document.querySelector("[data-collection]");
holder?.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-delete]");
  if (button) deleteNote(button.dataset.delete);
});

// A list of notes; with ``deletable``, each with its Delete button.
export function notesList(notes, deletable = false) {
  const list = document.createElement("ul");
  list.className = "notes";
  list.dataset.notes = "";
  for (const note of notes) {
    const item = document.createElement("li");
    const text = document.createElement("span");
    const id = Object.assign(document.createElement("code"), { textContent: note.id });
    const tags = note.tags?.length ? ` (tags: ${note.tags.join(", ")})` : "";
    text.append(id, `: ${note.text}${tags}`);
    item.append(text);
    if (deletable) {
      item.dataset.note = note.id;
      const button = Object.assign(document.createElement("button"), { type: "button", className: "small" });
      button.dataset.delete = note.id;
      button.append("Delete ", Object.assign(document.createElement("span"), { className: "visually-hidden", textContent: note.id }));
      item.append(button);
    }
    list.append(item);
  }
  if (!notes.length) list.append(Object.assign(document.createElement("li"), { textContent: "(none)" }));
  return list;
}

// Show ``notes`` as "Your notes", with ``said`` (what the last request did) above them.
export function showCollection(notes, said = "") {
  if (!holder) return;
  const shown = [notes.length ? notesList(notes, true) : Object.assign(document.createElement("p"), { textContent: "You have no notes yet." })];
  if (said) shown.unshift(Object.assign(document.createElement("p"), { className: "flash", role: "status", textContent: said }));
  holder.replaceChildren(...shown);
}

// Read the visitor's notes again and show them; if they cannot be read, say so instead.
export async function refreshCollection(said = "") {
  const response = await fetch("/api/notes", { headers: { Accept: "application/json" }, cache: "no-store" });
  const text = await response.text();
  if (!response.ok) {
    const detail = problemDetail(response, text);
    showSaid(`${said} Your notes could not be read: ${statusText(response.status)}${detail ? `: ${detail}` : ""}.`);
    return [];
  }
  const notes = JSON.parse(text).notes;
  showCollection(notes, said);
  return notes;
}

// Say ``text`` above the list, which stays as it was.
function showSaid(text) {
  const shown = holder?.querySelector(".flash") ?? Object.assign(document.createElement("p"), { className: "flash", role: "status" });
  shown.textContent = text.trim();
  holder?.prepend(shown);
}

export async function deleteNote(id) {
  const path = `/api/notes/${encodeURIComponent(id)}`;
  let said;
  try {
    const response = await fetch(path, { method: "DELETE", headers: { Accept: "application/json" }, cache: "no-store" });
    const detail = problemDetail(response, await response.text());
    said = `DELETE ${path} → ${statusText(response.status)}${detail ? `: ${detail}` : ""}`;
  } catch (error) {
    showSaid(`DELETE ${path}: no answer came back (${error.message}), so the list below may be out of date.`);
    return;
  }
  await refreshCollection(said);
  // Focus stays in the list: on the next Delete button, or on the list's heading.
  const next = holder.querySelector("button[data-delete]") ?? document.getElementById("your-notes");
  if (!next.matches("button")) next.tabIndex = -1;
  next.focus();
}
