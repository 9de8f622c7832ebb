// Conditional reveals under radios, as GOV.UK Frontend's Radios component does them, less one thing:
// it sets aria-expanded on the radio, which ARIA does not allow there and axe reports
// (govuk-frontend issue 979). Radios opt in with data-app-controls="<id of the revealed block>".
// Without JavaScript the revealed block simply stays visible.

function syncReveals() {
  for (const input of document.querySelectorAll('input[type="radio"][aria-controls]')) {
    const target = document.getElementById(input.getAttribute("aria-controls"));
    if (target && target.classList.contains("govuk-radios__conditional")) {
      target.classList.toggle("govuk-radios__conditional--hidden", !input.checked);
    }
  }
}

for (const input of document.querySelectorAll('input[type="radio"][data-app-controls]')) {
  input.setAttribute("aria-controls", input.dataset.appControls);
  input.removeAttribute("data-app-controls");
}
syncReveals();
document.addEventListener("change", (event) => {
  if (event.target instanceof HTMLInputElement && event.target.type === "radio") {
    syncReveals();
  }
});
window.addEventListener("pageshow", syncReveals);
