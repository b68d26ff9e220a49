// needs: prelude
// What a login page asks for, read the way a person reads it (see infonavit_fetch/login/form.py): each
// visible box by the words around it, or else by its type, and the page's own way forward. The boxes and
// the button get `args.mark` (nss, password, captcha, otp, other, go); the mark is renewed on every read.
(args) => {
  const MARK = args.mark;
  const roots = openRoots();
  function all(selector) {
    return roots.flatMap((root) => [...root.querySelectorAll(selector)]);
  }
  all('[' + MARK + ']').forEach((el) => el.removeAttribute(MARK));
  function byId(el, id) {
    return el.getRootNode().getElementById ? el.getRootNode().getElementById(id) : null;
  }
  // The words around a box, folded: its labels, aria-labelledby, aria-label, placeholder, title; else a
  // hint written just above it.
  function boxWords(el) {
    const parts = [];
    for (const label of el.labels || []) parts.push(label.innerText);
    (el.getAttribute('aria-labelledby') || '').split(/\s+/).forEach((id) => { if (id && byId(el, id)) parts.push(byId(el, id).textContent); });
    parts.push(el.getAttribute('aria-label') || '', el.getAttribute('placeholder') || '', el.getAttribute('title') || '');
    if (!parts.join('').trim()) {
      // A hint written just above the box («Tu NSS tiene 11 dígitos»): the text before it in its container.
      for (let box = el.parentElement, depth = 0; box && depth < 3; depth++, box = box.parentElement) {
        const before = [];
        for (const node of box.childNodes) {
          if (node === el || (node.contains && node.contains(el))) break;
          before.push(node.textContent || '');
        }
        const text = before.map(squeeze).filter(Boolean).pop();  // the nearest
        if (text) { parts.push(text.slice(-80)); break; }
      }
    }
    return fold(parts.join(' '));
  }
  const boxes = all('input, textarea').filter((el) => visibleWide(el) && !el.disabled
    && !['hidden', 'checkbox', 'radio', 'submit', 'button', 'image', 'reset', 'file'].includes((el.type || '').toLowerCase()));
  const pictures = all('img, canvas, svg').filter((el) => visibleWide(el)
    && el.getBoundingClientRect().width >= 60 && el.getBoundingClientRect().height >= 20);
  // A picture near the box (in the same part of its form), as a captcha's.
  function nearPicture(el) {
    for (let box = el.parentElement, depth = 0; box && depth < 5; depth++, box = box.parentElement) {
      if (pictures.some((p) => box.contains(p) && !p.closest('a, button, [role=button]'))) return true;
      if (box.tagName === 'FORM') break;
    }
    return false;
  }
  const nss = new RegExp(args.nss), code = new RegExp(args.code), once = new RegExp(args.once);
  const short = boxes.filter((el) => Number(el.getAttribute('maxlength')) === 1 || /d[ií]gito \d/i.test(el.getAttribute('aria-label') || ''));
  // A box outside the form that asks for the password (a search box in the header) is none of the login's.
  const pwdBox = boxes.find((el) => (el.type || '').toLowerCase() === 'password');
  function apart(el) {
    return pwdBox && pwdBox.form && el.form !== pwdBox.form;
  }
  const page = fold(document.body ? document.body.innerText : '');
  // What a box asks for, by its type and the words around it (`said`).
  function roleOf(el, said) {
    if ((el.type || '').toLowerCase() === 'password') return 'password';
    if (short.length >= 4 && short.includes(el)) return 'otp';  // one box per digit
    if (nss.test(said)) return 'nss';
    if (code.test(said) && nearPicture(el)) return 'captcha';
    if (code.test(said) && once.test(page)) return 'otp';
    if (code.test(said)) return 'captcha';
    return 'other';
  }
  const found = {nss: 0, password: 0, captcha: 0, otp: 0, other: 0, words: []};
  for (const el of boxes) {
    const said = boxWords(el);
    const role = roleOf(el, said);
    if (role === 'other' && apart(el)) continue;
    el.setAttribute(MARK, role);
    found[role] += 1;
    found.words.push(said.slice(0, 60));
  }
  // A box known only by its type: the first text box of a form that also asks for a password, or the only
  // box of a page that speaks of the NSS.
  function nssByPlace() {
    const other = boxes.filter((el) => el.getAttribute(MARK) === 'other');
    const pwd = boxes.find((el) => el.getAttribute(MARK) === 'password');
    return pwd ? other.find((el) => el.compareDocumentPosition(pwd) & Node.DOCUMENT_POSITION_FOLLOWING)
      : (other.length === 1 && /\bnss\b|seguridad social/.test(page) ? other[0] : null);
  }
  if (!found.nss) {
    const guess = nssByPlace();
    if (guess) { guess.setAttribute(MARK, 'nss'); found.nss = 1; found.other -= 1; }
  }
  function controlName(el) {
    return fold((el.innerText || '').trim() || el.value || el.getAttribute('aria-label') || el.getAttribute('alt') || el.getAttribute('title') || '');
  }
  // The page's own way forward: a control whose words say so, else the one submit button of the form.
  function wayForward() {
    const controls = all('button, input[type=submit], input[type=button], input[type=image], a, [role=button]')
      .filter((el) => visibleWide(el));
    for (const word of args.go) {
      const go = controls.find((el) => { const n = controlName(el); return n === word || n.startsWith(word + ' '); });
      if (go) return go;
    }
    const form = (boxes[0] && boxes[0].form) || null;
    const submits = form ? [...form.querySelectorAll('button:not([type=button]):not([type=reset]), input[type=submit], input[type=image]')].filter(visibleWide) : [];
    return submits.length === 1 ? submits[0] : null;
  }
  const go = wayForward();
  if (go) go.setAttribute(MARK, 'go');
  found.go = go ? controlName(go) : '';
  return found;
}
