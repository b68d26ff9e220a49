// What a person's click at the middle of `el` would land on, when that is not `el` (or inside it): the
// cover's words, or its tag when it has none; "" when `el` is on top; null when that cannot be told (no
// box, or its middle outside the window). The layer to take away gets data-infonavit-cover, which the
// next look (look.js) offers to close.
(el) => {
  // The layer to take away: the outermost box around what was hit that is laid over the page (not in its
  // flow) and does not hold the target; the next look (look.js) offers its close control.
  function markLayer(cover, el) {
    let layer = cover;
    for (let node = cover; node && node !== document.body && !node.contains(el); node = node.parentElement) {
      if (getComputedStyle(node).position !== 'static') layer = node;
    }
    layer.setAttribute('data-infonavit-cover', '');
  }

  const r = el.getBoundingClientRect();
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  if (!r.width || !r.height || x < 0 || y < 0 || x > innerWidth || y > innerHeight) return null;
  let hit = document.elementFromPoint(x, y);
  while (hit && hit.shadowRoot) {
    const inner = hit.shadowRoot.elementFromPoint(x, y);
    if (!inner || inner === hit) break;
    hit = inner;
  }
  if (!hit) return null;
  for (let node = hit; node; node = node.parentNode || node.host) if (node === el) return '';
  const cover = hit.closest('[role=dialog], [role=alertdialog], [aria-modal=true], dialog') || hit;
  markLayer(cover, el);
  // An icon has no words of its own: the nearest box around it that has some names it.
  for (let node = cover, up = 0; node && up < 6; node = node.parentElement, up++) {
    const words = (node.innerText || node.getAttribute('aria-label') || node.getAttribute('title') || '')
      .replace(/\s+/g, ' ').trim();
    if (words) return words.slice(0, 60);
  }
  return cover.tagName.toLowerCase();
}
