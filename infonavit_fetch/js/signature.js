// needs: prelude
// Resolves as soon as the page's reading differs from `prev` (checked on each change of the document,
// not on a clock); a watcher gives up after `ms`, so none outlives the wait that set it.
([prev, ms]) => new Promise((resolve) => {
  if (reading() !== prev) { resolve(true); return; }
  let timer = null;
  const done = (changed) => {
    observer.disconnect(); clearTimeout(timer);
    removeEventListener('hashchange', check); removeEventListener('popstate', check);
    resolve(changed);
  };
  const check = () => { if (reading() !== prev) done(true); };
  const observer = new MutationObserver(check);
  observer.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  addEventListener('hashchange', check); addEventListener('popstate', check);
  timer = setTimeout(() => done(false), ms);
})
