// needs: prelude
// The login page after a press, as a person reads it (see infonavit_fetch/login/conversation.py): every
// short visible text on it, which of them are new and read like an answer to a login, and whether the
// page is the app (logged in) or the form again. With `args.mark`, what it shows now is marked as seen
// (none of it answers the next press); with `args.until`, null until the page has answered (what a
// wait_for_function waits for).
(args) => {
  const SEEN = 'data-infonavit-fetch-seen';
  const CONTROLS = 'a, button, summary, select, [role=button], [role=link], [role=menuitem], [role=tab], [role=option]';
  // The short visible texts, by the block that holds each; and what a block says, without the words of
  // its links and buttons (options, not news).
  function readBlocks() {
    const blocks = new Map();
    const said = new Map();
    const walker = document.createTreeWalker(document.body || document, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || !node.nodeValue.trim() || ['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(el.tagName) || !visibleWide(el)) continue;
      const block = el.closest('[role=alert], [role=status], [aria-live]:not([aria-live=off]), p, li, label, div, span')
        || el;
      if (blocks.has(block)) continue;
      const text = squeeze(block.innerText);
      if (!text || text.length > 300) continue;
      blocks.set(block, text);
      if (block.closest(CONTROLS)) continue;
      if (!block.querySelector(CONTROLS)) { said.set(block, text); continue; }
      const prose = block.cloneNode(true);
      prose.querySelectorAll(CONTROLS).forEach((control) => control.remove());
      const words = squeeze(prose.textContent);
      if (words) said.set(block, words);
    }
    return [blocks, said];
  }
  const [blocks, said] = readBlocks();
  if (args.mark) for (const block of blocks.keys()) block.setAttribute(SEEN, '');
  const standing = new Set(args.standing);
  const rx = new RegExp(args.rx);
  const fresh = [...said].filter(([block, text]) => !block.hasAttribute(SEEN) && !standing.has(text)
                                                    && !standing.has(blocks.get(block)) && rx.test(fold(text)))
    .map(([, text]) => text);
  const password = [...document.querySelectorAll('input[type=password]')].some(visibleWide);
  // A control that puts off what the page asks ("Recordármelo después"): a reminder, not a demand.
  function canPutOff() {
    return [...document.querySelectorAll(CONTROLS + ', input[type=button], input[type=submit]')].some((c) => {
      const label = fold(squeeze(c.innerText || c.value || c.getAttribute('aria-label')));
      return visibleWide(c) && putsOff(label, args.later, args.maxLater);
    });
  }
  const later = canPutOff();
  const all = fold(document.body ? document.body.innerText : '');
  const waypoint = args.waypoints.some((w) => all.includes(w));
  // What only a logged-in page says ("Cerrar sesión", "¡Hola, …! Bienvenido", "Último acceso"), in a text
  // the login page did not show already (its own "Bienvenido a Mi Cuenta" is no sign).
  function signedIn() {
    return [...blocks.values()].some((text) => !standing.has(text) && args.signs.some((sign) => fold(text).includes(sign)));
  }
  const signed = signedIn();
  const newDocument = !window.__infonavitFetchLogin;
  if (args.mark) window.__infonavitFetchLogin = true;
  const ready = document.readyState === 'complete';
  const inside = !password && (waypoint || signed || (newDocument && ready));
  const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6, [role=heading]')].filter(visibleWide)
    .map((h) => squeeze(h.innerText)).filter((text) => text && text.length <= 300);
  let state = null;
  if (fresh.length) state = 'message';
  else if (inside) state = 'in';
  else if (password && newDocument && ready) state = 'form';
  if (args.until && !state) return null;
  return {state, texts: [...new Set(blocks.values())], fresh, inside, headings, later};
}
