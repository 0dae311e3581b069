// The CORS lab's other origin. Sends the request its parent page asks for, to the lab
// endpoint of the parent's origin only, and reports what fetch() gave back: the browser hides the preflight.
const site = document.currentScript.dataset.parent;
window.addEventListener("message", async (event) => {
  if (event.source !== window.parent || event.origin !== site) return;
  const { id, run, method, headers, body } = event.data;
  const url = `${site}/labs/cors/run/${encodeURIComponent(run)}`;
  let reply;
  try {
    // credentials: "omit": the lab endpoint never sees the visitor's cookies.
    const response = await fetch(url, { method, headers, body, credentials: "omit" });
    reply = { id, ok: true, status: response.status, statusText: response.statusText, text: await response.text() };
  } catch (error) {
    reply = { id, ok: false, error: `${error.name}: ${error.message}` };
  }
  window.parent.postMessage(reply, site);
});
// Opened on its own (the teachers' exercise 3), it has no lab page to tell.
if (window.parent !== window) window.parent.postMessage({ id: 0, ready: true }, site);
