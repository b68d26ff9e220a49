// The code's own pixels, as the portal sent them, as a PNG data: address: whatever covers the image on
// screen (a notice that shows a moment after load) is not in them. Null when the page cannot hand them
// over: no <img>/<canvas> (a background image), or a picture from another site.
async (el, waitMs) => {
  const source = el.matches('img, canvas') ? el : el.querySelector('img, canvas');
  if (!source) return null;
  let canvas = source;
  if (source instanceof HTMLImageElement) {
    if (!(source.complete && source.naturalWidth)) {  // still loading: until it has, or failed
      await new Promise((done) => {
        source.addEventListener('load', done, {once: true});
        source.addEventListener('error', done, {once: true});
        setTimeout(done, waitMs);
      });
      if (!(source.complete && source.naturalWidth)) return null;
    }
    canvas = document.createElement('canvas');
    canvas.width = source.naturalWidth;
    canvas.height = source.naturalHeight;
    const context = canvas.getContext('2d');
    context.fillStyle = '#fff';  // a transparent picture reads as on a white page
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(source, 0, 0);
  }
  try { return canvas.toDataURL('image/png'); } catch (e) { return null; }
}
