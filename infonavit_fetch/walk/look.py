"""One look at a page, the way a person scans it: which of the manual's words are in sight, and on what.

A single script runs in each frame and answers everything the walk needs for its next move: the
waypoints in sight (on anything a person would click, innermost element first, inside open shadow
roots too), whether something covers them, the overlays on the page and the control that closes each,
the controls that put off a page asking for something else, menus that hide a waypoint, and where the
credit's current stage stands against "Formaliza tu crédito". One evaluation per frame per look keeps a
look cheap however many candidates a page has.

The elements it answers with get a `data-infonavit-fetch` attribute, so that Playwright can click
exactly them; the attribute is renewed on every look.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MARK = "data-infonavit-fetch"

# The page's reading: its address, the length of its text and its number of elements (what a click that
# did something changes; the walk compares readings rather than whole pages).
READING_JS = (
    "() => location.href + '|' + (document.body ? document.body.innerText.length : 0) + '|'"
    " + document.getElementsByTagName('*').length"
)

# text.fold in the page: lower case, no accents, punctuation that varies as spaces, spaces squeezed.
FOLD_JS = r"""(s) => (s || '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[¿?¡!.:«»"“”()]/g, ' ').replace(/\s+/g, ' ').trim()"""

# Whether a control's folded label puts off what a page asks, whatever its verb ("Confirmar después"): a
# short label with a word that says "later". Called with (label, args.later, args.maxLater).
LATER_JS = r"""(label, words, max) => {
  const spaced = ' ' + label + ' ';
  return label.length <= max && words.some((w) => spaced.includes(' ' + w + ' '));
}"""

LOOK_JS = (
    r"""
(args) => {
  const MARK = args.mark;
  const fold = """
    + FOLD_JS
    + r""";
  const roots = [];
  const collectRoots = (root) => {
    roots.push(root);
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) collectRoots(el.shadowRoot);
  };
  collectRoots(document);
  for (const root of roots) for (const el of root.querySelectorAll('[' + MARK + ']')) el.removeAttribute(MARK);
  let nextId = 0;
  const byId = new Map();
  const mark = (el) => {
    if (!el.hasAttribute(MARK)) { el.setAttribute(MARK, String(++nextId)); byId.set(el.getAttribute(MARK), el); }
    return el.getAttribute(MARK);
  };
  const up = (el) => el.parentElement || (el.getRootNode() instanceof ShadowRoot ? el.getRootNode().host : null);
  const visible = (el) => {
    if (!el.checkVisibility || !el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) return false;
    const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1;
  };
  const ROLES = new Set(['button', 'link', 'menuitem', 'menuitemcheckbox', 'menuitemradio', 'tab', 'treeitem',
                         'option', 'switch']);
  const clickableSelf = (el) => {
    const tag = el.tagName;
    if (tag === 'A' && (el.hasAttribute('href') || el.hasAttribute('role'))) return true;
    if (tag === 'BUTTON' || tag === 'SUMMARY') return true;
    if (tag === 'INPUT' && ['button', 'submit', 'image', 'reset'].includes((el.type || '').toLowerCase())) return true;
    if (ROLES.has((el.getAttribute('role') || '').toLowerCase())) return true;
    if (el.hasAttribute('onclick') || typeof el.onclick === 'function') return true;
    if (el.hasAttribute('aria-expanded') || el.hasAttribute('aria-haspopup')) return true;
    const tabindex = el.getAttribute('tabindex');
    if (tabindex !== null && Number(tabindex) >= 0) return true;
    return false;
  };
  // A component whose own control shows the words written inside its tag (<x-button>Texto</x-button>:
  // the text is slotted into a <button> of its shadow root).
  const slottedControl = (host) => {
    if (!host.shadowRoot) return null;
    for (const slot of host.shadowRoot.querySelectorAll('slot')) {
      if (!slot.assignedNodes().length) continue;
      for (let n = slot.parentElement; n; n = n.parentElement) if (clickableSelf(n)) return n;
    }
    return null;
  };
  // The element a click on `el` reaches: itself or an ancestor a few levels up (a card, a list entry).
  const clickableOf = (el) => {
    let node = el;
    for (let depth = 0; node && depth < 6; depth++, node = up(node)) {
      if (node === document.body || node === document.documentElement) break;
      if (clickableSelf(node)) return node;
      const inner = slottedControl(node);
      if (inner) return inner;
    }
    return getComputedStyle(el).cursor === 'pointer' ? el : null;
  };
  const disabled = (el) => el.disabled === true || el.getAttribute('aria-disabled') === 'true';
  const alreadyOpen = (el) => {
    for (let node = el, depth = 0; node && depth < 3; depth++, node = up(node)) {
      if (node.getAttribute('aria-expanded') === 'true' || node.getAttribute('aria-selected') === 'true') return true;
      const current = node.getAttribute('aria-current');
      if (current && current !== 'false') return true;  // the page or step the person is already on
      if (node.tagName === 'SUMMARY' && node.parentElement && node.parentElement.open) return true;
    }
    return false;
  };
  // A control's label is a word of a vocabulary when it is that word, or starts with it ("cerrar aviso").
  const startsAs = (label, word) => label === word || label.startsWith(word + ' ');
  // The text a person reads on `el`, with what a component slots into it (innerText leaves that out).
  const flatText = (el) => {
    let out = '';
    for (const n of el.childNodes) {
      if (n.nodeType === 3) out += n.data;
      else if (n.nodeType === 1 && n.tagName === 'SLOT') {
        for (const a of n.assignedNodes({flatten: true})) out += a.nodeType === 3 ? a.data : ' ' + (a.innerText || '') + ' ';
      } else if (n.nodeType === 1 && !['SCRIPT', 'STYLE'].includes(n.tagName)) out += ' ' + flatText(n.shadowRoot || n) + ' ';
    }
    return out;
  };
  const textOf = (el) => (el.innerText && el.innerText.trim()) || (el.shadowRoot || el.querySelector('slot') ? flatText(el.shadowRoot || el) : '');
  // The words a person reads on a control without text of its own: its accessible name (aria-labelledby,
  // aria-label, a button's value, an image's alt text, an SVG's <title>, its title).
  const nameOf = (el) => {
    const by = (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean)
      .map((id) => { const ref = el.getRootNode().getElementById ? el.getRootNode().getElementById(id) : null; return ref ? ref.textContent : ''; })
      .join(' ').trim();
    if (by) return by;
    const own = el.getAttribute('aria-label') || (el.tagName === 'INPUT' ? el.value || el.getAttribute('alt') : '')
      || (el.tagName === 'IMG' ? el.getAttribute('alt') : '');
    if (own && own.trim()) return own;
    const picture = el.querySelector && el.querySelector('img[alt], svg title, [aria-label]');
    const inner = picture ? (picture.tagName === 'IMG' ? picture.getAttribute('alt')
      : picture.getAttribute('aria-label') || picture.textContent) : '';
    return (inner && inner.trim()) || el.getAttribute('title') || (el.tagName === 'BUTTON' ? el.value : '') || '';
  };
  // Words a person reads: a control's own text, unless it is only a glyph («▤», «⋯»): then its name.
  const wordsOf = (el) => { const own = textOf(el); return /[\p{L}\p{N}]/u.test(own) ? own : nameOf(el) || own; };
  const labelOf = (el) => fold(wordsOf(el) || el.value || '');
  const shortText = (el) => (wordsOf(el) || '').replace(/\s+/g, ' ').trim().slice(0, 120);

  // --- the manual's words in sight -------------------------------------------------------------------
  const waypoints = args.waypoints;
  const folded = new Map();
  // Its text nodes with a space between them: «Formaliza tu crédito<span>Etapa actual</span>» reads as two words.
  const foldedText = (el) => {
    if (!folded.has(el)) {
      let out = '';
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) out += n.data + ' ';
      folded.set(el, fold(out));
    }
    return folded.get(el);
  };
  // A waypoint is read the way a person reads it: its words, in any order and form («Imprime tus
  // documentos», «Ir a Mi Espacio Infonavit», «En qué va mi solicitud»), not one exact string. Each form
  // is a list of word stems (see portal.waypoint_forms); articles and possessives do not count.
  const stop = new Set(args.stopwords);
  const tokens = new Map();
  const tokensOf = (text) => {
    if (!tokens.has(text)) tokens.set(text, text.split(/[^a-z0-9]+/).filter((w) => w && !stop.has(w)));
    return tokens.get(text);
  };
  const stemOf = (w, [stem, longest]) => (stem.length <= 3 ? w === stem : w.startsWith(stem) && w.length <= longest);
  // How many other words the text has besides waypoint i's (-1: it does not say it).
  const otherWords = (text, i) => {
    const words = tokensOf(text);
    let best = -1;
    for (const form of args.forms[i]) {
      if (!form.every((stem) => words.some((w) => stemOf(w, stem)))) continue;
      const others = words.filter((w) => !/^\d+$/.test(w) && !form.some((stem) => stemOf(w, stem))).length;
      if (best < 0 || others < best) best = others;
    }
    return args.exact[i] && best > 0 ? -1 : best;
  };
  const says = (text, i) => otherWords(text, i) >= 0;
  const saysAny = (text) => waypoints.some((w, i) => says(text, i));
  const matches = [];  // [element, waypoint index, extra characters]
  const seenPair = new Set();
  const consider = (el, text) => {
    for (let i = 0; i < waypoints.length; i++) {
      if (!says(text, i)) continue;
      if (i === args.rowWaypoint && args.otherKinds.some((k) => text.includes(k))) continue;
      const key = i + ':' + mark(el);
      if (seenPair.has(key)) continue;
      seenPair.add(key);
      // Words in the middle of a sentence ("…consulta las indicaciones y…") are not the control's label.
      // Words in the middle of a sentence ("…consulta las etapas e imprime tus documentos en…") are not
      // the control's label; a label may carry a few more («Ir a …», «(PDF)», «En curso»).
      const extra = Math.max(0, text.length - waypoints[i].length);
      const more = otherWords(text, i);
      const first = args.forms[i][0][0];
      const prose = more > args.maxExtraWords && !stemOf(tokensOf(text)[0] || '', first);
      matches.push([el, i, extra, prose, more <= args.maxExtraWords]);
    }
  };
  for (const root of roots) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const done = new Set();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.nodeValue || !node.nodeValue.trim()) continue;
      let el = node.parentElement;
      if (!el || ['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TITLE', 'OPTION'].includes(el.tagName.toUpperCase())) continue;
      for (let depth = 0; el && depth < 4 && !done.has(el); depth++, el = el.parentElement) {
        const text = foldedText(el);
        if (text.length > args.maxText) break;
        if (saysAny(text)) { consider(el, text); done.add(el); break; }
      }
    }
    // Controls whose words are only their accessible name: an image's alt, an icon's <title>, aria-label.
    const named = 'input[type=submit], input[type=button], input[type=image], button, [aria-label], [aria-labelledby], [title], img[alt], svg';
    for (const el of root.querySelectorAll(named)) {
      if (el.innerText && /[a-z0-9]/.test(fold(el.innerText))) continue;  // words of its own (not just an icon: ☰ →)
      if (el.tagName.toLowerCase() === 'svg' && !el.querySelector('title')) continue;
      const text = fold(nameOf(el));
      if (text && text.length <= args.maxText) consider(el, text);
    }
    // A list where the document is chosen in a box («Tipo de aviso: Retención») is read by its choice.
    for (const el of root.querySelectorAll('select')) {
      const chosen = el.selectedOptions && el.selectedOptions[0];
      if (chosen && visible(el)) consider(el, fold(chosen.textContent));
    }
  }
  // Innermost first: drop a match whose descendant matches the same waypoint.
  const inner = matches.filter(([el, i]) => !matches.some(([other, j]) => j === i && other !== el && el.contains(other)));

  const coverOf = (el) => {
    const r = el.getBoundingClientRect();
    const x = r.left + Math.min(r.width / 2, 20), y = r.top + r.height / 2;
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) return null;
    const hit = el.getRootNode().elementFromPoint(x, y);
    if (!hit || hit === el || el.contains(hit) || hit.contains(el)) return null;
    const target = clickableOf(el);
    if (target && (target.contains(hit) || hit.contains(target))) return null;
    // The layer on top: the outermost fixed, sticky or dialog box around what was hit; else (a banner laid
    // over the page with position:absolute) the outermost positioned box around it that does not hold `el`.
    let top = hit, layer = null;
    for (let node = hit; node && node !== document.body; node = up(node)) {
      const style = getComputedStyle(node);
      if (style.position === 'fixed' || style.position === 'sticky' || node.getAttribute('role') === 'dialog'
          || node.getAttribute('aria-modal') === 'true' || node.tagName === 'DIALOG') top = node;
      else if (style.position !== 'static' && !node.contains(el) && top === hit) layer = node;
    }
    return top === hit && layer ? layer : top;
  };

  const isDownload = (control) => {
    const label = labelOf(control);
    return !label || args.download.some((d) => startsAs(label, d));
  };
  // A row's words, without the choices of a box in it (its chosen one is read on the box itself).
  const rowText = (node) => {
    if (!node.querySelector || !node.querySelector('select')) return foldedText(node);
    const copy = node.cloneNode(true);
    copy.querySelectorAll('select').forEach((box) => box.remove());
    return fold(copy.textContent);
  };
  const rowControl = (el) => {
    for (let node = el, depth = 0; node && depth < 7 && node !== document.body; depth++, node = up(node)) {
      if (node.tagName !== 'SELECT' && args.otherKinds.some((k) => rowText(node).includes(k))) return null;  // the row ended
      if (clickableSelf(node) && visible(node) && isDownload(node)) return node;
      const controls = [...node.querySelectorAll('a[href], button, [role=button], [role=link], [onclick], input[type=button], input[type=submit]')]
        .filter((c) => visible(c) && isDownload(c));
      if (controls.length) return controls[0];
    }
    return null;
  };

  // Which stage's section a step belongs to, as the page says it in words: the nearest box around it
  // that names a stage's state. 1: the current stage («Formaliza tu crédito», «En curso»); -1: a stage
  // the page calls finished («Etapa concluida»); 0: not told.
  const finishedRx = args.finished.map((source) => new RegExp(source));
  const sectionOf = (el) => {
    for (let node = up(el), depth = 0; node && depth < 12 && node !== document.body; depth++, node = up(node)) {
      const text = foldedText(node);
      if (text.length > 4000) break;
      const spaced = ' ' + text + ' ';
      const finished = finishedRx.some((rx) => rx.test(text));
      const current = says(text, args.stageWaypoint) || args.stageMarkers.some((m) => spaced.includes(' ' + m + ' '));
      if (finished || current) return finished === current ? 0 : (current ? 1 : -1);
    }
    return 0;
  };
  const found = [];
  const seen = new Set();
  const hidden = [];
  let hiddenAny = false;
  const hiddenWaypoints = new Set();
  for (const [el, i, extra, prose, label] of inner) {
    if (!visible(el)) {
      let anchor = up(el);
      for (let depth = 0; anchor && depth < 8 && !visible(anchor); depth++) anchor = up(anchor);
      hiddenAny = true;
      hiddenWaypoints.add(i);
      if (anchor && anchor !== document.body && visible(anchor)) hidden.push({w: i, id: mark(anchor)});
      continue;
    }
    if (label) seen.add(i);
    let target = clickableOf(el);
    let clickId = mark(el);
    if (i === args.rowWaypoint) {
      // A row of a list (a table row, a card): its own download control, never another row's.
      target = rowControl(el);
      if (target) clickId = mark(target);
    } else if (!target) {
      // Words beside a control that has none of its own (a banner image that is the link, an icon
      // under its caption): a person clicks the one such control next to them.
      for (let box = up(el), depth = 0; box && depth < 3 && box !== document.body; depth++, box = up(box)) {
        const near = [...box.querySelectorAll('a[href], button, input[type=image], [role=button], [role=link], [onclick]')]
          .filter((c) => visible(c) && !(c.innerText || '').trim());
        if (near.length === 1) { target = near[0]; clickId = mark(near[0]); break; }
        if (near.length > 1) break;
      }
    }
    const cover = coverOf(el);
    found.push({
      w: i, id: clickId, extra, prose, clickable: !!target, open: alreadyOpen(el),
      disabled: !!target && disabled(target), text: shortText(el),
      cover: cover ? {id: mark(cover), text: shortText(cover)} : null,
      section: i > args.stageWaypoint && args.stageWaypoint >= 0 ? sectionOf(el) : 0,
    });
  }

  // --- what stands in the way ------------------------------------------------------------------------
  // "Confirmar después", "Actualizar más tarde": whatever the verb, a short label that says "later" puts off.
  const later = (label) => ("""
    + LATER_JS
    + r""")(label, args.later, args.maxLater);
  const dismissRank = (label) => {
    if (label && later(label)) return args.laterRank;
    if (!label || args.avoid.some((a) => label.includes(a))) return -1;
    for (const [word, rank] of args.dismiss) {
      if (startsAs(label, word)) return rank;
    }
    return -1;
  };
  const controlsIn = (scope) => {
    const out = [];
    for (const el of scope.querySelectorAll('*')) {
      if (el.shadowRoot) out.push(...controlsIn(el.shadowRoot));  // a component's own controls
      if (!clickableSelf(el) && !(getComputedStyle(el).cursor === 'pointer' && el.children.length === 0)) continue;
      if (!visible(el) || disabled(el)) continue;
      out.push(el);
    }
    if (scope.shadowRoot) out.push(...controlsIn(scope.shadowRoot));
    return out;
  };
  // A notice whose «Acepto» waits for a tick in «He leído el aviso…»: the box beside those words, as a
  // person ticks it (once: unticked only, and the walk never presses it twice).
  const acknowledgement = (root) => {
    const waiting = [...root.querySelectorAll('button, [role=button], input[type=button], input[type=submit], a')]
      .some((c) => visible(c) && disabled(c) && dismissRank(labelOf(c)) >= 0);
    if (!waiting) return null;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = fold(node.nodeValue).trim();
      const words = node.parentElement;
      if (!words || !visible(words) || !args.acknowledge.some((a) => text.startsWith(a))) continue;
      const holder = words.closest('label') || words.parentElement;
      const box = holder.querySelector('input[type=checkbox], [role=checkbox]');
      if (box && (box.checked || box.getAttribute('aria-checked') === 'true')) continue;
      // Big enough to be seen, and on top where it is (a real input clipped away for screen readers is not).
      const big = (el) => {
        const r = el.getBoundingClientRect();
        if (r.width < 8 || r.height < 8) return false;
        const hit = el.getRootNode().elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return !!hit && (hit === el || el.contains(hit));
      };
      let target = box && visible(box) && big(box) ? box : null;
      if (!target) {  // a drawn box beside the words (the real input hidden for screen readers only)
        target = [...holder.children].find((c) => c !== words && !c.contains(words) && visible(c) && big(c)
          && !(c.innerText || '').trim() && c.getBoundingClientRect().width <= 48) || words;
      }
      return {id: mark(target), text: shortText(words), rank: 0, once: true};
    }
    return null;
  };
  const overlayRoots = new Set();
  for (const root of roots) {
    for (const el of root.querySelectorAll('[role=dialog], [role=alertdialog], [aria-modal=true], dialog[open]')) {
      if (visible(el)) overlayRoots.add(el);
    }
    for (const el of root.querySelectorAll('body *')) {
      const style = getComputedStyle(el);
      if (style.position !== 'fixed' && style.position !== 'sticky') continue;
      if (!visible(el)) continue;
      overlayRoots.add(el);
    }
  }
  for (const f of found) if (f.cover) overlayRoots.add(byId.get(f.cover.id));
  // What a click of the walk found on top of its target (walk.COVERED_BY_JS marks it).
  for (const root of roots) {
    for (const el of root.querySelectorAll('[data-infonavit-cover]')) if (visible(el)) overlayRoots.add(el);
  }
  const overlays = [];
  for (const root of overlayRoots) {
    if (root === document.body) continue;
    // A layer that holds the way on (an open side menu, a header) is not in the way; one that only
    // mentions its words in a sentence ("sigue las indicaciones…") is.
    if (found.some((f) => f.clickable && !f.prose && root.contains(byId.get(f.id)))) continue;
    let best = null;
    for (const control of controlsIn(root)) {
      const rank = dismissRank(labelOf(control));
      if (rank >= 0 && (!best || rank < best.rank)) best = {id: mark(control), text: shortText(control), rank};
    }
    if (!best) best = acknowledgement(root);
    const r = root.getBoundingClientRect();
    const big = r.width * r.height >= 0.3 * innerWidth * innerHeight;
    const dialogLike = root.matches('[role=dialog], [role=alertdialog], [aria-modal=true], dialog');
    if (best) {
      // Under another layer (a consent wall over a promotion): a person closes the one on top first.
      const c = byId.get(best.id).getBoundingClientRect();
      const x = c.left + c.width / 2, y = c.top + c.height / 2;
      const hit = x >= 0 && y >= 0 && x < innerWidth && y < innerHeight
        ? byId.get(best.id).getRootNode().elementFromPoint(x, y) : null;
      const under = !!hit && !root.contains(hit) && !hit.contains(root);
      const blocking = root.hasAttribute('data-infonavit-cover');
      overlays.push({once: false, ...best, root: mark(root), about: shortText(root), big, dialog: dialogLike, under,
                     blocking});
    }
  }

  // --- pages that ask for something else first, menus that hide the way ---------------------------
  const pass = [];
  const openers = [];
  const home = [];
  const related = [];
  if (args.askFirst || !found.some((f) => f.clickable)) {
    for (const control of controlsIn(document.body)) {
      const label = labelOf(control);
      if (!label || label.length > 60 || (!later(label) && args.avoid.some((a) => label.includes(a)))) continue;
      if (args.home.some((h) => startsAs(label, h))) home.push({id: mark(control), text: shortText(control)});
      // "Later" first: it puts off without answering anything ("Continuar" may accept what is asked).
      if (later(label)) pass.unshift({id: mark(control), text: shortText(control)});
      else if (args.pass.some((p) => startsAs(label, p))) pass.push({id: mark(control), text: shortText(control)});
      else if (hiddenAny && args.openers.some((o) => startsAs(label, o) ||
               fold(control.getAttribute('aria-label') || '').includes(o))) openers.push({id: mark(control), text: shortText(control)});
      // A short control that shares a menu step's first word («Trámites» for «Tramitar mi crédito»): where a
      // person looks for it when it is nowhere in sight, or only in a sentence (never a later step's:
      // «Imprimir» opens a print dialog).
      else if (!found.some((f) => f.clickable && !f.prose) && tokensOf(label).length <= 3
               && args.forms.slice(0, args.menuSteps).some((forms) => tokensOf(label).some((w) => stemOf(w, forms[0][0]))))
        related.push({id: mark(control), text: shortText(control)});
    }
  }

  // --- where the credit stands ---------------------------------------------------------------------
  const STAGE_LIST_DEPTH = 6;  // how far above the words of a stage its list may begin
  let stage = null;
  const formaliza = inner.filter(([el, i, , prose]) => i === args.stageWaypoint && !prose && visible(el)).map(([el]) => el);
  if (formaliza.length) {
    // The current stage: marked by aria-current, by a word such as "Etapa actual", or (weakest) by
    // being the one panel left open. Of several, the one closest to "Formaliza tu crédito" in the
    // page's tree belongs to the stage list (a menu's aria-current="page" does not).
    const strong = [], weak = [];
    for (const root of roots) {
      for (const el of root.querySelectorAll('[aria-current]:not([aria-current=false])')) if (visible(el)) strong.push(el);
      for (const el of root.querySelectorAll('[aria-expanded=true], [role=tab][aria-selected=true], details[open] > summary')) {
        const text = foldedText(el);
        const other = waypoints.some((w, i) => i !== args.stageWaypoint && text.includes(w));
        if (visible(el) && !other) weak.push(el);
      }
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = fold(node.nodeValue);
        if (!text || !args.stageMarkers.includes(text) || !node.parentElement || !visible(node.parentElement)) continue;
        let el = node.parentElement;
        for (let depth = 0; el && depth < 5 && foldedText(el) === text; depth++) el = up(el);
        if (el) strong.push(el);
      }
    }
    const depthOf = (el) => { let d = 0; for (let n = el; n; n = up(n)) d++; return d; };
    const closeness = (el) => {
      let common = formaliza[0];
      while (common && !common.contains(el)) common = up(common);
      return common && common !== document.body && common !== document.documentElement ? depthOf(common) : -1;
    };
    // A mark far from the stage list in the page's tree («Estatus: En proceso» in the request's header)
    // says nothing of which stage is current.
    const near = depthOf(formaliza[0]) - STAGE_LIST_DEPTH;
    const pick = (list) => {
      let best = null, bestScore = near - 1;
      for (const el of list) { const score = closeness(el); if (score > bestScore) { best = el; bestScore = score; } }
      return best;
    };
    const holder = pick(strong) || pick(weak);
    if (holder) {
      const at = formaliza.find((el) => holder.contains(el) || el.contains(holder));
      let pos = 'at';
      if (!at) {
        const relation = formaliza[0].compareDocumentPosition(holder);
        pos = relation & Node.DOCUMENT_POSITION_FOLLOWING ? 'past' : 'before';
      }
      // A selected tab alone does not tell that the credit is elsewhere: it may just be the first tab,
      // shown before the page has picked the current stage (an expanded stage panel does tell).
      if (pos === 'at' || !holder.matches('[role=tab][aria-selected=true]') || strong.includes(holder)) {
        stage = {pos, text: (holder.innerText || '').replace(/\s+/g, ' ').trim().slice(0, 120)};
      }
    }
  }

  // Documents shown in the page from bytes it holds (a data: or blob: address in an embed, object or frame).
  const documents = [];
  for (const root of roots) {
    for (const el of root.querySelectorAll('embed[src], object[data], iframe[src]')) {
      const src = el.getAttribute('src') || el.getAttribute('data') || '';
      if (/^(blob|data):/i.test(src)) documents.push(el.src || el.data || src);
    }
  }
  // The notice itself shown as a page: its title on an element that says little else.
  const noticeTitle = roots.some((root) => [...root.querySelectorAll('h1, h2, h3, h4, [role=heading], caption, th, b, strong')]
    .some((el) => { const text = foldedText(el); return text.startsWith(args.noticeTitle) && text.length - args.noticeTitle.length <= 3 && visible(el); }));
  // Read with its full stops kept: «Aún no tienes un crédito vigente. Tu precalificación está vigente.» is no active credit.
  const sentences = (document.body ? document.body.innerText : '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
    .toLowerCase().replace(/\s+/g, ' ');
  const active = args.creditActive.some((rx) => new RegExp(rx).test(sentences));
  const password = [...roots].some((root) => [...root.querySelectorAll('input[type=password]')].some(visible));
  const busy = !!document.querySelector('[aria-busy=true]') || document.readyState !== 'complete';
  return {found, seen: [...seen], hidden, hiddenWaypoints: [...hiddenWaypoints], overlays, pass, openers, home, related,
          stage, password, busy, documents, noticeTitle, active,
          url: location.href, reading: ("""
    + READING_JS
    + """)()};
}
"""
)


@dataclass(frozen=True)
class Cover:
    id: str
    text: str


@dataclass(frozen=True)
class Sighting:
    """A waypoint's words on the page, on the innermost element that carries them."""

    waypoint: int
    id: str
    extra: int  # characters of other text around the words (0: the element says just that)
    prose: bool  # the words inside a sentence, not a label: acted on only when nothing else is in sight
    clickable: bool
    open: bool  # an expanded disclosure, a selected tab: already done
    disabled: bool
    text: str
    cover: Cover | None
    section: int = 0  # 1: in the current stage's section; -1: in a finished stage's; 0: not told

    @property
    def actionable(self) -> bool:
        return self.clickable and not self.open and not self.disabled


@dataclass(frozen=True)
class Control:
    id: str
    text: str


@dataclass(frozen=True)
class Overlay:
    id: str  # the control that closes it
    text: str
    rank: int
    root: str
    about: str
    big: bool
    dialog: bool
    once: bool = False  # a box to tick: pressed again, it would be unticked
    under: bool = False  # its control is under another layer: that one is closed first
    blocking: bool = False  # a click of the walk landed on it (however small it is, it is in the way)


@dataclass(frozen=True)
class Stage:
    pos: str  # "before", "at" or "past" "Formaliza tu crédito"
    text: str


@dataclass
class Sight:
    """What one frame shows."""

    found: list[Sighting] = field(default_factory=list)
    seen: list[int] = field(default_factory=list)
    hidden: list[tuple[int, str]] = field(default_factory=list)  # (waypoint, a visible element to hover)
    hidden_waypoints: list[int] = field(default_factory=list)  # waypoints whose words are on the page, hidden
    overlays: list[Overlay] = field(default_factory=list)
    pass_controls: list[Control] = field(default_factory=list)
    openers: list[Control] = field(default_factory=list)
    home: list[Control] = field(default_factory=list)
    related: list[Control] = field(default_factory=list)  # controls that share a waypoint's first word
    stage: Stage | None = None
    password: bool = False
    busy: bool = False
    documents: list[str] = field(default_factory=list)  # data: and blob: addresses of embeds, objects, frames
    notice_title: bool = False  # the notice's own title is on the page (the notice shown as a page)
    active: bool = False  # the page says the credit is already active
    url: str = ""
    reading: str = ""  # READING_JS at the end of the look

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> Sight:
        return cls(
            found=[
                Sighting(
                    waypoint=int(f["w"]),
                    id=str(f["id"]),
                    extra=int(f["extra"]),
                    prose=bool(f["prose"]),
                    clickable=bool(f["clickable"]),
                    open=bool(f["open"]),
                    disabled=bool(f["disabled"]),
                    text=str(f["text"]),
                    cover=Cover(str(f["cover"]["id"]), str(f["cover"]["text"])) if f["cover"] else None,
                    section=int(f.get("section", 0)),
                )
                for f in raw["found"]
            ],
            seen=[int(i) for i in raw["seen"]],
            hidden=[(int(h["w"]), str(h["id"])) for h in raw["hidden"]],
            hidden_waypoints=[int(i) for i in raw["hiddenWaypoints"]],
            overlays=[
                Overlay(
                    str(o["id"]),
                    str(o["text"]),
                    int(o["rank"]),
                    str(o["root"]),
                    str(o["about"]),
                    bool(o["big"]),
                    bool(o["dialog"]),
                    bool(o["once"]),
                    bool(o["under"]),
                    bool(o.get("blocking", False)),
                )
                for o in raw["overlays"]
            ],
            pass_controls=[Control(str(c["id"]), str(c["text"])) for c in raw["pass"]],
            openers=[Control(str(c["id"]), str(c["text"])) for c in raw["openers"]],
            home=[Control(str(c["id"]), str(c["text"])) for c in raw["home"]],
            related=[Control(str(c["id"]), str(c["text"])) for c in raw.get("related", [])],
            stage=Stage(str(raw["stage"]["pos"]), str(raw["stage"]["text"])) if raw["stage"] else None,
            password=bool(raw["password"]),
            busy=bool(raw["busy"]),
            documents=[str(d) for d in raw.get("documents", [])],
            notice_title=bool(raw.get("noticeTitle", False)),
            active=bool(raw.get("active", False)),
            url=str(raw["url"]),
            reading=str(raw["reading"]),
        )

    @property
    def furthest_seen(self) -> int:
        return max(self.seen, default=-1)
