// Scrolls down what scrolls on this page (the window, or the biggest scrolling box: an app's content pane)
// by most of its height, as a person looking further down does; true when it moved. Resolves once the
// page has drawn that, so that content which loads when it comes into view knows it has.
() => {
  const root = document.scrollingElement || document.documentElement;
  let best = null, bestArea = 0;
  for (const el of [root, ...document.querySelectorAll('body *')]) {
    if (el.scrollHeight - el.clientHeight - el.scrollTop < 2 || el.clientHeight < 100) continue;
    if (el !== root && !/(auto|scroll|overlay)/.test(getComputedStyle(el).overflowY)) continue;
    const area = el.clientHeight * el.clientWidth;
    if (area > bestArea) { best = el; bestArea = area; }
  }
  if (!best) return false;
  best.scrollBy({top: Math.max(200, best.clientHeight * 0.8), behavior: 'instant'});
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(true), 200);  // a hidden tab draws no frames
    requestAnimationFrame(() => requestAnimationFrame(() => { clearTimeout(timer); resolve(true); }));
  });
}
