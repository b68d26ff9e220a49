// What several page scripts share, written once. The loader (infonavit_fetch/js/__init__.py) puts these
// declarations in front of a script whose header says "needs: prelude"; nothing here runs on its own.

// Marks around or between words that are not words themselves: sentence marks, quotes of every kind,
// brackets. fold() reads each as a space. (text.FOLDED_AWAY in Python: the same characters.)
const FOLDED_AWAY = /[¿?¡!.:«»"“”‘’‚‛„‟‹›'()\[\]]/g;

// Text as a person reads it to compare words: lower case, without accents and invisible characters
// (soft hyphens, zero-width spaces), its punctuation and quotes as spaces, spaces squeezed. text.fold
// in Python gives the same result, letter for letter (tests/test_fold_parity.py).
function fold(s) {
  return plain(s).replace(FOLDED_AWAY, ' ').replace(/[\s\x1c-\x1f\x85]+/g, ' ').trim();
}

// fold's first half: lower case, without accents and invisible characters; punctuation and spaces kept.
function plain(s) {
  return (s || '').normalize('NFKD').replace(/[\p{Mn}\p{Cf}]/gu, '').toLowerCase();
}

// Runs of white space as one space, none at either end.
function squeeze(text) {
  return (text || '').replace(/\s+/g, ' ').trim();
}

// Shown by the page's styles: not display:none, visibility:hidden or opacity 0, nor inside such a box.
function styledVisible(el) {
  return !!el.checkVisibility && el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true});
}

// What a person can see: shown, with a box at least 2 px wide and 2 px tall.
function visible(el) {
  if (!styledVisible(el)) return false;
  const r = el.getBoundingClientRect();
  return r.width > 1 && r.height > 1;
}

// The login scripts' reading of "visible": shown, with a box at least 2 px wide (however flat).
function visibleWide(el) {
  return styledVisible(el) && el.getBoundingClientRect().width > 1;
}

// The document and every open shadow root in it (a component's insides), each before those inside it.
function openRoots(root = document, into = []) {
  into.push(root);
  for (const el of root.querySelectorAll('*')) if (el.shadowRoot) openRoots(el.shadowRoot, into);
  return into;
}

// The middle of an element's box, in the window's coordinates.
function middleOf(el) {
  const r = el.getBoundingClientRect();
  return [r.left + r.width / 2, r.top + r.height / 2];
}

// What a click at (x, y) would land on, in the tree `el` belongs to (its document or shadow root); null
// outside the window.
function landsOn(el, x, y) {
  if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) return null;
  return el.getRootNode().elementFromPoint(x, y);
}

// Whether a control's folded label puts off what a page asks, whatever its verb ("Confirmar después"): a
// short label (at most `max` characters) with one of `words`, which say "later".
function putsOff(label, words, max) {
  const spaced = ' ' + label + ' ';
  return label.length <= max && words.some((w) => spaced.includes(' ' + w + ' '));
}

// The page's reading: its address, the length of its text and its number of elements (what a click that
// did something changes; the walk compares readings rather than whole pages).
function reading() {
  return location.href + '|' + (document.body ? document.body.innerText.length : 0) + '|'
    + document.getElementsByTagName('*').length;
}
