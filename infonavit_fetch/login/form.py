"""What a login page asks for, read the way a person reads it: each visible box by the words around it
(its label, aria-label or aria-labelledby, placeholder, a hint line above it) or else by its type, and the
page's own way forward. The boxes and the button get a `data-infonavit-login` mark (nss, password,
captcha, otp, other, go) so that Playwright acts on exactly them; the mark is renewed on every read."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from infonavit_fetch.site import portal
from infonavit_fetch.walk.look import FOLD_JS

if TYPE_CHECKING:
    from playwright.sync_api import Page

LOGIN_MARK = "data-infonavit-login"

LOGIN_FORM_JS = (
    r"""
(args) => {
  const MARK = args.mark;
  const fold = """
    + FOLD_JS
    + r""";
  const roots = [];
  const collect = (root) => {
    roots.push(root);
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) collect(el.shadowRoot);
  };
  collect(document);
  const all = (selector) => roots.flatMap((root) => [...root.querySelectorAll(selector)]);
  all('[' + MARK + ']').forEach((el) => el.removeAttribute(MARK));
  const visible = (el) => el.checkVisibility && el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})
    && el.getBoundingClientRect().width > 1;
  const byId = (el, id) => (el.getRootNode().getElementById ? el.getRootNode().getElementById(id) : null);
  const words = (el) => {
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
        const text = before.map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean).pop();  // the nearest
        if (text) { parts.push(text.slice(-80)); break; }
      }
    }
    return fold(parts.join(' '));
  };
  const boxes = all('input, textarea').filter((el) => visible(el) && !el.disabled
    && !['hidden', 'checkbox', 'radio', 'submit', 'button', 'image', 'reset', 'file'].includes((el.type || '').toLowerCase()));
  const pictures = all('img, canvas, svg').filter((el) => visible(el)
    && el.getBoundingClientRect().width >= 60 && el.getBoundingClientRect().height >= 20);
  const nearPicture = (el) => {
    for (let box = el.parentElement, depth = 0; box && depth < 5; depth++, box = box.parentElement) {
      if (pictures.some((p) => box.contains(p) && !p.closest('a, button, [role=button]'))) return true;
      if (box.tagName === 'FORM') break;
    }
    return false;
  };
  const nss = new RegExp(args.nss), code = new RegExp(args.code), once = new RegExp(args.once);
  const short = boxes.filter((el) => Number(el.getAttribute('maxlength')) === 1 || /d[ií]gito \d/i.test(el.getAttribute('aria-label') || ''));
  const found = {nss: 0, password: 0, captcha: 0, otp: 0, other: 0, words: []};
  // A box outside the form that asks for the password (a search box in the header) is none of the login's.
  const pwdBox = boxes.find((el) => (el.type || '').toLowerCase() === 'password');
  const apart = (el) => pwdBox && pwdBox.form && el.form !== pwdBox.form;
  const page = fold(document.body ? document.body.innerText : '');
  for (const el of boxes) {
    const said = words(el);
    let role = 'other';
    if ((el.type || '').toLowerCase() === 'password') role = 'password';
    else if (short.length >= 4 && short.includes(el)) role = 'otp';
    else if (nss.test(said)) role = 'nss';
    else if (code.test(said) && nearPicture(el)) role = 'captcha';
    else if (code.test(said) && once.test(page)) role = 'otp';
    else if (code.test(said)) role = 'captcha';
    if (role === 'other' && apart(el)) continue;
    el.setAttribute(MARK, role);
    found[role] += 1;
    found.words.push(said.slice(0, 60));
  }
  // A box known only by its type: the first text box of a form that also asks for a password, or the only
  // box of a page that speaks of the NSS.
  if (!found.nss) {
    const other = boxes.filter((el) => el.getAttribute(MARK) === 'other');
    const pwd = boxes.find((el) => el.getAttribute(MARK) === 'password');
    const guess = pwd ? other.find((el) => el.compareDocumentPosition(pwd) & Node.DOCUMENT_POSITION_FOLLOWING)
      : (other.length === 1 && /\bnss\b|seguridad social/.test(page) ? other[0] : null);
    if (guess) { guess.setAttribute(MARK, 'nss'); found.nss = 1; found.other -= 1; }
  }
  // The page's own way forward: a control whose words say so, else the one submit button of the form.
  const controls = all('button, input[type=submit], input[type=button], input[type=image], a, [role=button]')
    .filter((el) => visible(el));
  const nameOf = (el) => fold((el.innerText || '').trim() || el.value || el.getAttribute('aria-label') || el.getAttribute('alt') || el.getAttribute('title') || '');
  let go = null;
  for (const word of args.go) {
    go = controls.find((el) => { const n = nameOf(el); return n === word || n.startsWith(word + ' '); });
    if (go) break;
  }
  if (!go) {
    const form = (boxes[0] && boxes[0].form) || null;
    const submits = form ? [...form.querySelectorAll('button:not([type=button]):not([type=reset]), input[type=submit], input[type=image]')].filter(visible) : [];
    if (submits.length === 1) go = submits[0];
  }
  if (go) go.setAttribute(MARK, 'go');
  found.go = go ? nameOf(go) : '';
  return found;
}
"""
)


def read_form(page: Page) -> dict[str, Any]:
    """What the login page asks for now (counts of boxes by role, the way forward's words); marks them."""
    from infonavit_fetch.site.text import fold

    try:
        found: dict[str, Any] = page.evaluate(
            LOGIN_FORM_JS,
            {
                "mark": LOGIN_MARK,
                "nss": portal.NSS_WORDS,
                "code": portal.CODE_WORDS,
                "once": portal.ONE_TIME_WORDS,
                "go": [fold(word) for word in portal.GO_WORDS],
            },
        )
    except Exception:
        return {"nss": 0, "password": 0, "captcha": 0, "otp": 0, "other": 0, "words": [], "go": ""}
    return found
