// What every lesson script needs to write HTTP for a student: one table of reason
// phrases, one raw-message formatter, and the judging of a prediction.

// The server's table (web/reason_phrases.py, RFC 9110's phrases), rendered into the page: the
// phrase a response carries varies (Werkzeug writes capitals, HTTP/2 sends none at
// all), and clients ignore it anyway (RFC 9112 §4).
const phrases = JSON.parse(document.getElementById("reason-phrases")?.textContent || "{}");

export function statusText(code) {
  return `${code} ${phrases[code] ?? ""}`.trim();
}

// The same layout as teaching/raw_http.py's raw_message: start line, fields, blank line, body.
export function rawMessage(startLine, headers, body = "") {
  return [startLine, ...headers.map(([name, value]) => `${name}: ${value}`), ""].join("\n") +
    (body ? `\n${body}` : "");
}

// The request line the echo endpoint saw, rebuilt from its description of the request.
export function seenStartLine(seen) {
  const query = new URLSearchParams();
  for (const [name, values] of Object.entries(seen.query)) values.forEach((v) => query.append(name, v));
  const target = seen.path + (query.size ? `?${query}` : "");
  return `${seen.method} ${target} ${seen.protocol}`;
}

// fetch() lower-cases header names; HTTP/1.1 servers send them capitalised.
export function titleCase(name) {
  return name.replace(/(^|-)([a-z])/g, (_, dash, letter) => dash + letter.toUpperCase());
}

// The detail of an RFC 9457 problem document, or "" when the body is not one.
export function problemDetail(response, text) {
  if (!response.headers.get("Content-Type")?.startsWith("application/problem+json")) return "";
  try {
    return JSON.parse(text).detail ?? "";
  } catch {
    return "";
  }
}

// Say whether the prediction picked in ``container`` was right, and why; with ``status``,
// the choice naming the status received is the one borne out.
export function judgement(container, status = 0) {
  const fieldset = container.querySelector("[data-prediction]");
  if (!fieldset) return "";
  const picked = fieldset.querySelector("input:checked");
  const expected = fieldset.querySelector('input[data-right="yes"]');
  const right = fieldset.querySelector(`input[data-status="${status}"]`) ?? expected;
  const unlike = right === expected ? "" : ` The lesson expected ${choiceText(expected)}, ` +
    "as on a first send: this time the server's state was different.";
  if (picked) recordPrediction(picked);
  if (!picked) {
    return `You sent without predicting. The answer: ${choiceText(right)}. ${right.dataset.why}${unlike}`;
  }
  if (picked === right) return marked(true, `You predicted “${choiceText(picked)}”: right. ${picked.dataset.why}${unlike}`);
  return marked(false, `You predicted “${choiceText(picked)}”: not this time. ${picked.dataset.why} ` +
    `The answer: ${choiceText(right)}.${unlike}`);
}

// A verdict marked ✓ or ✗ beside its words, never colour alone (WCAG 1.4.1).
export function marked(right, text) {
  const paragraph = document.createElement("p");
  paragraph.className = right ? "right" : "wrong";
  const mark = Object.assign(document.createElement("span"), { className: "verdict-mark", textContent: right ? "✓" : "✗" });
  mark.setAttribute("aria-hidden", "true");
  paragraph.append(mark, ` ${text}`);
  return paragraph;
}

// In class mode the lesson names where a prediction goes (pages/classes.py): the first one
// made on each of its questions, once per page. Outside a class there is no such meta.
function recordPrediction(picked) {
  const endpoint = document.querySelector('meta[name="class-predictions"]')?.content;
  if (!endpoint || picked.dataset.recorded) return;
  for (const choice of picked.closest("fieldset").querySelectorAll("input")) {
    choice.dataset.recorded = "yes";
  }
  const body = JSON.stringify({
    lesson: location.pathname.split("/").pop(),
    prediction: picked.name.replace(/-prediction$/, ""),
    choice: Number(picked.value),
  });
  // Fire and forget: the lesson goes on whatever the class's answer.
  fetch(endpoint, { method: "POST", headers: { "Content-Type": "application/json" }, body })
    .catch(() => {});
}

function choiceText(input) {
  return input.closest("label").textContent.trim();
}

// Put ``lines`` in a verdict (an aria-live region) and bring it into view.
export function say(verdict, ...lines) {
  verdict.replaceChildren(...lines.filter(Boolean).map((line, index) => {
    if (line instanceof Node) return line;
    const paragraph = document.createElement("p");
    if (index === 0) paragraph.append(Object.assign(document.createElement("strong"), { textContent: line }));
    else paragraph.textContent = line;
    return paragraph;
  }));
  verdict.scrollIntoView({ block: "nearest" });
}

// Delete forms, by fetch().
export const notesModule = () => import("./notes.js");
document.querySelector("[data-collection]")?.addEventListener("submit", (event) => {
  const id = event.target.closest("li")?.dataset.note;
  if (id === undefined) return;
  event.preventDefault();
  notesModule().then(({ deleteNote }) => deleteNote(id));
});
