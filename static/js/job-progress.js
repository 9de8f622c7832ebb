// The pages of work the worker does ("Preparing the PDF", publishing, a large import). Without
// JavaScript they reload themselves every 2 seconds (a <meta> refresh inside <noscript>). With it,
// nothing reloads: the page asks for itself in the background and replaces what it says in place,
// inside a polite live region, so a screen reader hears the change and keeps its place.
const region = document.querySelector("[data-job-progress]");

async function check() {
  try {
    const response = await fetch(window.location.href, {
      credentials: "same-origin",
      redirect: "manual",
    });
    if (response.type === "opaqueredirect") {
      // Done and going on elsewhere (a publish goes to its meeting): let the browser follow it.
      window.location.reload();
      return;
    }
    const html = await response.text();
    const next = new DOMParser()
      .parseFromString(html, "text/html")
      .querySelector("[data-job-progress]");
    if (next) {
      region.replaceChildren(...next.childNodes);
      if (!next.hasAttribute("data-in-progress")) {
        region.removeAttribute("data-in-progress");
        return;
      }
    }
  } catch {
    // A failed check is tried again below.
  }
  window.setTimeout(check, 2000);
}

if (region && region.hasAttribute("data-in-progress")) {
  window.setTimeout(check, 2000);
}
