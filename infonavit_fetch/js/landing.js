// Where a trusted click went, armed on `el` before the press and read after it by el.__infonavitLanding():
// "control" when it reached `el` (or what `el` holds); "window" when it came into el's window but not to
// `el` (the page's own code stopped it on its way, or something over `el` in this window took it); "none"
// when no click came into el's window at all (a layer of a page around el's frame took it).
(el) => {
  const win = el.ownerDocument.defaultView;
  let reached = 'none';
  const onWindow = (e) => { if (e.isTrusted && reached === 'none') reached = 'window'; };
  const onControl = (e) => { if (e.isTrusted) reached = 'control'; };
  win.addEventListener('click', onWindow, true);
  el.addEventListener('click', onControl, true);
  el.__infonavitLanding = () => {
    win.removeEventListener('click', onWindow, true);
    el.removeEventListener('click', onControl, true);
    return reached;
  };
}
