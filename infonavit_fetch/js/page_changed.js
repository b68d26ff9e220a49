// Resolves on the next change of the page (a state, not a pause), or after `ms` when nothing changes.
(ms) => new Promise((resolve) => {
  const observer = new MutationObserver(() => { observer.disconnect(); resolve(true); });
  observer.observe(document, {subtree: true, childList: true, attributes: true});
  setTimeout(() => { observer.disconnect(); resolve(true); }, ms);
})
