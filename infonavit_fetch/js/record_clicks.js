// Tells the tool (window.__infonavitFetchClicked) the visible text of what the person clicks, once per
// document.
() => {
  if (window.__infonavitFetchRecording) return;
  window.__infonavitFetchRecording = true;
  document.addEventListener('click', (event) => {
    const el = event.target.closest && (event.target.closest('a, button, summary, [role], [onclick]') || event.target);
    if (!el) return;
    const text = (el.innerText || el.getAttribute('aria-label') || el.value || '').replace(/\s+/g, ' ').trim();
    try { window.__infonavitFetchClicked(text.slice(0, 80)); } catch (e) {}
  }, true);
}
