// Self-checks and warm-ups: send the answers with fetch(), asking for JSON, and show the
// feedback in place. Without JavaScript the same form POSTs and the server answers 303 to a
// page of results. The feedback explains the option chosen, never which one was right;
// "New questions" brings the next draw from that results page.

document.querySelectorAll("form[data-self-check]").forEach(watch);

function watch(form) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    check(form).catch(() => {
      say(form, "The answers could not be checked: the server did not answer. Try again.");
    });
  });
}

async function check(form) {
  const response = await fetch(form.action, {
    method: "POST",
    headers: { Accept: "application/json" },
    body: new URLSearchParams(new FormData(form)),
  });
  const result = await response.json();
  if (!response.ok) {
    // A problem document (RFC 9457): its detail says what to fix.
    say(form, result.detail || `The server answered ${response.status}.`);
    return;
  }
  for (const graded of result.questions) {
    showFeedback(form.querySelector(`[data-question="${graded.question}"]`), graded);
  }
  form.querySelector("button[type=submit]").hidden = true;
  const ending = result.warm_up ? "Warm-ups have no pass: they bring back earlier lessons." :
    result.passed ? "Self-check passed." :
    "Not passed yet: a pass needs every answer right on questions you have not seen before.";
  say(form, `You got ${result.right} of ${result.total} right. ${ending}`);
  offerNewQuestions(form, result.retry, Boolean(result.next));
  if (result.next) offerNextLesson(form, result.next);
  if (result.passed) markPassed(result.check);
}

// Mark the option chosen right or wrong and explain it; a wrong one links to what answers it.
function showFeedback(fieldset, graded) {
  fieldset.querySelectorAll("input").forEach((input) => { input.disabled = true; });
  const chosen = fieldset.querySelector(`[data-option="${CSS.escape(graded.chosen)}"]`);
  chosen.classList.add(graded.correct ? "right" : "wrong");
  const verdict = document.createElement("p");
  verdict.className = "verdict";
  const mark = document.createElement("span");
  mark.className = "verdict-mark";
  mark.setAttribute("aria-hidden", "true");
  mark.textContent = graded.correct ? "✓" : "✗";
  const said = !graded.correct ? "Not this one." : graded.fresh ? "Right." :
    "Right, but you had seen this question before: it does not count toward a pass.";
  verdict.append(mark, ` ${said} ${graded.why}`);
  fieldset.append(verdict);
  if (!graded.correct) {
    const hint = document.createElement("p");
    hint.className = "read-again";
    const link = document.createElement("a");
    link.href = graded.hint;
    link.textContent = `Read the part of ${graded.hint_page} that answers it`;
    hint.append(link, ", then try new questions.");
    fieldset.append(hint);
  }
}

// The step forward, as the primary button: the next lesson, or after the last the summary.
function offerNextLesson(form, next) {
  const link = Object.assign(document.createElement("a"), {
    className: "button",
    href: next.url,
    textContent: `${next.label} →`,
  });
  form.querySelector("[data-score]").after(link);
}

// A button that swaps in the next draw, read from the results page (the no-JS path's GET);
// secondary when the next lesson is the step forward.
function offerNewQuestions(form, url, secondary) {
  const button = document.createElement("button");
  button.type = "button";
  if (secondary) button.className = "secondary";
  button.textContent = "New questions";
  button.addEventListener("click", async () => {
    const page = await fetch(url, { headers: { Accept: "text/html" } });
    const next = new DOMParser().parseFromString(await page.text(), "text/html")
      .querySelector("form[data-self-check]");
    if (!page.ok || !next) {
      say(form, "New questions could not be loaded. Reload the page to get them.");
      return;
    }
    const adopted = document.adoptNode(next);
    form.replaceWith(adopted);
    watch(adopted);
    adopted.querySelector("input[type=radio]")?.focus();
  });
  form.querySelector("[data-score]").after(button);
}

// The score goes in the one live region, so a screen reader announces it once.
function say(form, text) {
  form.querySelector("[data-score]").textContent = text;
}

// Mark the lesson passed in the path at the top of the page, as the server now records it.
function markPassed(check) {
  const step = document.querySelector(`.path-steps [data-step="${check}"]`);
  if (!step || step.classList.contains("passed")) return;
  step.classList.add("passed", "visited");
  const link = step.querySelector("a");
  link.querySelector(".visually-hidden")?.remove();
  const mark = document.createElement("span");
  mark.className = "path-mark";
  mark.setAttribute("aria-hidden", "true");
  mark.textContent = "✓";
  const text = document.createElement("span");
  text.className = "visually-hidden";
  text.textContent = " (visited, self-check passed)";
  link.append(mark, text);
}
