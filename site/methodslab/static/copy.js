// A Copy button beside each snippet the server wrote (templates/_copy_as.html): the
// snippets are in the page without JavaScript; this only saves selecting them.
document.querySelectorAll("[data-snippet]").forEach((figure) => {
  const caption = figure.querySelector("figcaption");
  const pre = figure.querySelector("pre");
  const button = Object.assign(document.createElement("button"), {
    type: "button",
    className: "secondary small",
    textContent: `Copy ${caption.textContent}`,
  });
  const said = Object.assign(document.createElement("span"), { className: "hint" });
  said.setAttribute("role", "status");
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(pre.textContent);
      said.textContent = "Copied.";
    } catch {
      // No clipboard (an insecure origin, or permission refused): select the text instead.
      getSelection().selectAllChildren(pre);
      pre.focus();
      said.textContent = "Selected: copy it with Ctrl+C (⌘C on a Mac).";
    }
  });
  caption.append(" ", button, " ", said);
});
