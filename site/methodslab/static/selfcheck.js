// Self-checks: send the answers with fetch(), asking for JSON, and show the feedback in place.
// Without JavaScript the same form POSTs and the server answers 303 to a page of results.

document.querySelectorAll("form[data-self-check]").forEach((form) => {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    check(form).catch(() => {
      say(form, "The answers could not be checked: the server did not answer. Try again.");
    });
  });
});

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
  const ending = result.passed ? "Self-check passed." : "Change your answers and check again.";
  say(form, `You got ${result.right} of ${result.total} right. ${ending}`);
  if (result.passed) markPassed(result.check);
}

// Mark the right option and a wrong choice, and give every option its explanation.
function showFeedback(fieldset, graded) {
  fieldset.querySelectorAll("[data-option]").forEach((option) => {
    const key = option.dataset.option;
    option.classList.toggle("right", key === graded.right);
    option.classList.toggle("wrong", key === graded.chosen && !graded.correct);
    option.querySelector(".why")?.remove();
    const why = document.createElement("p");
    why.className = "why";
    const label =
      key === graded.right ? "The right answer." :
      key === graded.chosen ? "Your answer, not the right one." : "";
    if (label) {
      const strong = document.createElement("strong");
      strong.textContent = label;
      why.append(strong, " ");
    }
    why.append(graded.why[key]);
    option.append(why);
  });
  let verdict = fieldset.querySelector(".verdict");
  if (!verdict) {
    verdict = document.createElement("p");
    verdict.className = "verdict";
    fieldset.append(verdict);
  }
  verdict.textContent = graded.correct ? "Right." : "Not quite: see why below each option.";
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
