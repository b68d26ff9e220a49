// needs: prelude
// One look at a frame, the way a person scans it (see infonavit_fetch/walk/look.py, which reads the
// answer as a Sight): the manual's words in sight and on what, what covers them, the overlays and the
// control that closes each, what puts off a page that asks for something else, the menus that hide a
// waypoint, where the credit's current stage stands. The elements it answers with get `args.mark`.
(args) => {
  const MARK = args.mark;
  const roots = openRoots();
  for (const root of roots) for (const el of root.querySelectorAll('[' + MARK + ']')) el.removeAttribute(MARK);
  let nextId = 0;
  const byId = new Map();
  // The element's mark (given on first use), by which Playwright clicks exactly it.
  function mark(el) {
    if (!el.hasAttribute(MARK)) { el.setAttribute(MARK, String(++nextId)); byId.set(el.getAttribute(MARK), el); }
    return el.getAttribute(MARK);
  }
  // The box around `el`; a shadow root's host around what is inside it.
  function up(el) {
    return el.parentElement || (el.getRootNode() instanceof ShadowRoot ? el.getRootNode().host : null);
  }
  const ROLES = new Set(['button', 'link', 'menuitem', 'menuitemcheckbox', 'menuitemradio', 'tab', 'treeitem',
                         'option', 'switch']);
  // Something a person clicks by what it is: a link, a button, a control's role, a click handler.
  function clickableSelf(el) {
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
  }
  // A component whose own control shows the words written inside its tag (<x-button>Texto</x-button>:
  // the text is slotted into a <button> of its shadow root).
  function slottedControl(host) {
    if (!host.shadowRoot) return null;
    for (const slot of host.shadowRoot.querySelectorAll('slot')) {
      if (!slot.assignedNodes().length) continue;
      for (let n = slot.parentElement; n; n = n.parentElement) if (clickableSelf(n)) return n;
    }
    return null;
  }
  // The element a click on `el` reaches: itself or an ancestor a few levels up (a card, a list entry).
  function clickableOf(el) {
    let node = el;
    for (let depth = 0; node && depth < 6; depth++, node = up(node)) {
      if (node === document.body || node === document.documentElement) break;
      if (clickableSelf(node)) return node;
      const inner = slottedControl(node);
      if (inner) return inner;
    }
    return getComputedStyle(el).cursor === 'pointer' ? el : null;
  }
  function disabled(el) {
    return el.disabled === true || el.getAttribute('aria-disabled') === 'true';
  }
  // An expanded disclosure, a selected tab, the page or step the person is already on: already done.
  function alreadyOpen(el) {
    for (let node = el, depth = 0; node && depth < 3; depth++, node = up(node)) {
      if (node.getAttribute('aria-expanded') === 'true' || node.getAttribute('aria-selected') === 'true') return true;
      const current = node.getAttribute('aria-current');
      if (current && current !== 'false') return true;  // the page or step the person is already on
      if (node.tagName === 'SUMMARY' && node.parentElement && node.parentElement.open) return true;
    }
    return false;
  }
  // A control's label is a word of a vocabulary when it is that word, or starts with it ("cerrar aviso").
  function startsAs(label, word) {
    return label === word || label.startsWith(word + ' ');
  }
  // The text a person reads on `el`, with what a component slots into it (innerText leaves that out).
  function flatText(el) {
    let out = '';
    for (const n of el.childNodes) {
      if (n.nodeType === 3) out += n.data;
      else if (n.nodeType === 1 && n.tagName === 'SLOT') {
        for (const a of n.assignedNodes({flatten: true})) out += a.nodeType === 3 ? a.data : ' ' + (a.innerText || '') + ' ';
      } else if (n.nodeType === 1 && !['SCRIPT', 'STYLE'].includes(n.tagName)) out += ' ' + flatText(n.shadowRoot || n) + ' ';
    }
    return out;
  }
  function textOf(el) {
    return (el.innerText && el.innerText.trim()) || (el.shadowRoot || el.querySelector('slot') ? flatText(el.shadowRoot || el) : '');
  }
  // The words a person reads on a control without text of its own: its accessible name (aria-labelledby,
  // aria-label, a button's value, an image's alt text, an SVG's <title>, its title).
  function nameOf(el) {
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
  }
  // Words a person reads: a control's own text, unless it is only a glyph («▤», «⋯»): then its name.
  function wordsOf(el) {
    const own = textOf(el);
    return /[\p{L}\p{N}]/u.test(own) ? own : nameOf(el) || own;
  }
  function labelOf(el) {
    return fold(wordsOf(el) || el.value || '');
  }
  function shortText(el) {
    return squeeze(wordsOf(el)).slice(0, 120);
  }

  // --- the manual's words in sight -------------------------------------------------------------------
  const waypoints = args.waypoints;
  const folded = new Map();
  // Its text nodes with a space between them: «Formaliza tu crédito<span>Etapa actual</span>» reads as two words.
  function foldedText(el) {
    if (!folded.has(el)) {
      let out = '';
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) out += n.data + ' ';
      folded.set(el, fold(out));
    }
    return folded.get(el);
  }
  // A waypoint is read the way a person reads it: its words, in any order and form («Imprime tus
  // documentos», «Ir a Mi Espacio Infonavit», «En qué va mi solicitud»), not one exact string. Each form
  // is a list of word stems (see portal.waypoint_forms); articles and possessives do not count.
  const stop = new Set(args.stopwords);
  const tokens = new Map();
  function tokensOf(text) {
    if (!tokens.has(text)) tokens.set(text, text.split(/[^a-z0-9]+/).filter((w) => w && !stop.has(w)));
    return tokens.get(text);
  }
  function stemOf(w, [stem, longest]) {
    return stem.length <= 3 ? w === stem : w.startsWith(stem) && w.length <= longest;
  }
  // How many other words the text has besides waypoint i's (-1: it does not say it).
  function otherWords(text, i) {
    const words = tokensOf(text);
    let best = -1;
    for (const form of args.forms[i]) {
      if (!form.every((stem) => words.some((w) => stemOf(w, stem)))) continue;
      const others = words.filter((w) => !/^\d+$/.test(w) && !form.some((stem) => stemOf(w, stem))).length;
      if (best < 0 || others < best) best = others;
    }
    return args.exact[i] && best > 0 ? -1 : best;
  }
  // Whether a (folded) text says waypoint i, in any of its forms.
  function says(text, i) {
    return otherWords(text, i) >= 0;
  }
  function saysAny(text) {
    return waypoints.some((w, i) => says(text, i));
  }
  // Words in the middle of a sentence ("…consulta las etapas e imprime tus documentos en…") are not the
  // control's label; a label may carry a few more («Ir a …», «(PDF)», «En curso»). `more`: the text's
  // words besides waypoint i's.
  function inSentence(text, i, more) {
    const first = args.forms[i][0][0];
    return more > args.maxExtraWords && !stemOf(tokensOf(text)[0] || '', first);
  }
  const matches = [];  // [element, waypoint index, extra characters, in a sentence, a label]
  const seenPair = new Set();
  function consider(el, text) {
    for (let i = 0; i < waypoints.length; i++) {
      if (!says(text, i)) continue;
      if (i === args.rowWaypoint && args.otherKinds.some((k) => text.includes(k))) continue;
      const key = i + ':' + mark(el);
      if (seenPair.has(key)) continue;
      seenPair.add(key);
      const extra = Math.max(0, text.length - waypoints[i].length);
      const more = otherWords(text, i);
      matches.push([el, i, extra, inSentence(text, i, more), more <= args.maxExtraWords]);
    }
  }
  // The words on the page: each text, on the innermost element around it that says a waypoint.
  function considerTexts(root) {
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
  }
  // Controls whose words are only their accessible name: an image's alt, an icon's <title>, aria-label.
  function considerNamed(root) {
    const named = 'input[type=submit], input[type=button], input[type=image], button, [aria-label], [aria-labelledby], [title], img[alt], svg';
    for (const el of root.querySelectorAll(named)) {
      if (el.innerText && /[a-z0-9]/.test(fold(el.innerText))) continue;  // words of its own (not just an icon: ☰ →)
      if (el.tagName.toLowerCase() === 'svg' && !el.querySelector('title')) continue;
      const text = fold(nameOf(el));
      if (text && text.length <= args.maxText) consider(el, text);
    }
  }
  // A list where the document is chosen in a box («Tipo de aviso: Retención») is read by its choice.
  function considerChoices(root) {
    for (const el of root.querySelectorAll('select')) {
      const chosen = el.selectedOptions && el.selectedOptions[0];
      if (chosen && visible(el)) consider(el, fold(chosen.textContent));
    }
  }
  for (const root of roots) {
    considerTexts(root);
    considerNamed(root);
    considerChoices(root);
  }
  // Innermost first: drop a match whose descendant matches the same waypoint.
  const inner = matches.filter(([el, i]) => !matches.some(([other, j]) => j === i && other !== el && el.contains(other)));

  // What lies on top of `el` where a person clicks it (near its start): the layer to take away, or null.
  function coverOf(el) {
    const r = el.getBoundingClientRect();
    const hit = landsOn(el, r.left + Math.min(r.width / 2, 20), r.top + r.height / 2);
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
  }

  function isDownload(control) {
    const label = labelOf(control);
    return !label || args.download.some((d) => startsAs(label, d));
  }
  // A row's words, without the choices of a box in it (its chosen one is read on the box itself).
  function rowText(node) {
    if (!node.querySelector || !node.querySelector('select')) return foldedText(node);
    const copy = node.cloneNode(true);
    copy.querySelectorAll('select').forEach((box) => box.remove());
    return fold(copy.textContent);
  }
  // A row of a list (a table row, a card): its own download control, never another row's.
  function rowControl(el) {
    for (let node = el, depth = 0; node && depth < 7 && node !== document.body; depth++, node = up(node)) {
      if (node.tagName !== 'SELECT' && args.otherKinds.some((k) => rowText(node).includes(k))) return null;  // the row ended
      if (clickableSelf(node) && visible(node) && isDownload(node)) return node;
      const controls = [...node.querySelectorAll('a[href], button, [role=button], [role=link], [onclick], input[type=button], input[type=submit]')]
        .filter((c) => visible(c) && isDownload(c));
      if (controls.length) return controls[0];
    }
    return null;
  }
  // Words beside a control that has none of its own (a banner image that is the link, an icon under its
  // caption): a person clicks the one such control next to them.
  function controlBeside(el) {
    for (let box = up(el), depth = 0; box && depth < 3 && box !== document.body; depth++, box = up(box)) {
      const near = [...box.querySelectorAll('a[href], button, input[type=image], [role=button], [role=link], [onclick]')]
        .filter((c) => visible(c) && !(c.innerText || '').trim());
      if (near.length === 1) return near[0];
      if (near.length > 1) break;
    }
    return null;
  }

  // Which stage's section a step belongs to, as the page says it in words: the nearest box around it
  // that names a stage's state. 1: the current stage («Formaliza tu crédito», «En curso»); -1: a stage
  // the page calls finished («Etapa concluida»); 0: not told.
  const finishedRx = args.finished.map((source) => new RegExp(source));
  function sectionOf(el) {
    for (let node = up(el), depth = 0; node && depth < 12 && node !== document.body; depth++, node = up(node)) {
      const text = foldedText(node);
      if (text.length > 4000) break;
      const spaced = ' ' + text + ' ';
      const finished = finishedRx.some((rx) => rx.test(text));
      const current = says(text, args.stageWaypoint) || args.stageMarkers.some((m) => spaced.includes(' ' + m + ' '));
      if (finished || current) return finished === current ? 0 : (current ? 1 : -1);
    }
    return 0;
  }
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
      target = rowControl(el);
      if (target) clickId = mark(target);
    } else if (!target) {
      target = controlBeside(el);
      if (target) clickId = mark(target);
    }
    const cover = coverOf(el);
    found.push({
      w: i, id: clickId, extra, prose, clickable: !!target, open: alreadyOpen(el),
      disabled: !!target && disabled(target), text: shortText(el),
      cover: cover ? {id: mark(cover), text: shortText(cover)} : null,
      section: i > args.stageWaypoint && args.stageWaypoint >= 0 ? sectionOf(el) : 0,
    });
  }
  // A waypoint in sight on something to click, as a label (not only named in a sentence).
  function wayInSight() {
    return found.some((f) => f.clickable && !f.prose);
  }

  // --- what stands in the way ------------------------------------------------------------------------
  // "Confirmar después", "Actualizar más tarde": whatever the verb, a short label that says "later" puts off.
  function later(label) {
    return putsOff(label, args.later, args.maxLater);
  }
  // A control that leads somewhere else («Cerrar sesión», «Actualizar», a survey): never pressed to pass.
  function leadsAway(label) {
    return args.avoid.some((a) => label.includes(a));
  }
  // How well a control's label takes a layer away (0 best; -1: it does not).
  function dismissRank(label) {
    if (label && later(label)) return args.laterRank;
    if (!label || leadsAway(label)) return -1;
    for (const [word, rank] of args.dismiss) {
      if (startsAs(label, word)) return rank;
    }
    return -1;
  }
  // The controls a person could press in `scope`, a component's own ones too.
  function controlsIn(scope) {
    const out = [];
    for (const el of scope.querySelectorAll('*')) {
      if (el.shadowRoot) out.push(...controlsIn(el.shadowRoot));  // a component's own controls
      if (!clickableSelf(el) && !(getComputedStyle(el).cursor === 'pointer' && el.children.length === 0)) continue;
      if (!visible(el) || disabled(el)) continue;
      out.push(el);
    }
    if (scope.shadowRoot) out.push(...controlsIn(scope.shadowRoot));
    return out;
  }
  // Big enough to be seen, and on top where it is (a real input clipped away for screen readers is not).
  function bigOnTop(el) {
    const r = el.getBoundingClientRect();
    if (r.width < 8 || r.height < 8) return false;
    const hit = landsOn(el, ...middleOf(el));
    return !!hit && (hit === el || el.contains(hit));
  }
  // A notice whose «Acepto» waits for a tick in «He leído el aviso…»: the box beside those words, as a
  // person ticks it (once: unticked only, and the walk never presses it twice).
  function acknowledgement(root) {
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
      let target = box && visible(box) && bigOnTop(box) ? box : null;
      if (!target) {  // a drawn box beside the words (the real input hidden for screen readers only)
        target = [...holder.children].find((c) => c !== words && !c.contains(words) && visible(c) && bigOnTop(c)
          && !(c.innerText || '').trim() && c.getBoundingClientRect().width <= 48) || words;
      }
      return {id: mark(target), text: shortText(words), rank: 0, once: true};
    }
    return null;
  }
  // Layers over the page: dialogs, fixed and sticky boxes, what covers a waypoint, and what a click of the
  // walk found on top of its target (the walk's covered_by.js marks it).
  function layers() {
    const out = new Set();
    for (const root of roots) {
      for (const el of root.querySelectorAll('[role=dialog], [role=alertdialog], [aria-modal=true], dialog[open]')) {
        if (visible(el)) out.add(el);
      }
      for (const el of root.querySelectorAll('body *')) {
        const style = getComputedStyle(el);
        if (style.position !== 'fixed' && style.position !== 'sticky') continue;
        if (!visible(el)) continue;
        out.add(el);
      }
    }
    for (const f of found) if (f.cover) out.add(byId.get(f.cover.id));
    for (const root of roots) {
      for (const el of root.querySelectorAll('[data-infonavit-cover]')) if (visible(el)) out.add(el);
    }
    return out;
  }
  const overlayRoots = layers();
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
      const control = byId.get(best.id);
      const hit = landsOn(control, ...middleOf(control));
      const under = !!hit && !root.contains(hit) && !hit.contains(root);
      const blocking = root.hasAttribute('data-infonavit-cover');
      overlays.push({once: false, ...best, root: mark(root), about: shortText(root), big, dialog: dialogLike, under,
                     blocking});
    }
  }

  // --- pages that ask for something else first, menus that hide the way ---------------------------
  // A short control that shares a menu step's first word («Trámites» for «Tramitar mi crédito»): where a
  // person looks for it when it is nowhere in sight, or only in a sentence (never a later step's:
  // «Imprimir» opens a print dialog).
  function relatedToStep(label) {
    return !wayInSight() && tokensOf(label).length <= 3
      && args.forms.slice(0, args.menuSteps).some((forms) => tokensOf(label).some((w) => stemOf(w, forms[0][0])));
  }
  const pass = [];
  const openers = [];
  const home = [];
  const related = [];
  if (args.askFirst || !found.some((f) => f.clickable)) {
    for (const control of controlsIn(document.body)) {
      const label = labelOf(control);
      if (!label || label.length > 60 || (!later(label) && leadsAway(label))) continue;
      if (args.home.some((h) => startsAs(label, h))) home.push({id: mark(control), text: shortText(control)});
      // "Later" first: it puts off without answering anything ("Continuar" may accept what is asked).
      if (later(label)) pass.unshift({id: mark(control), text: shortText(control)});
      else if (args.pass.some((p) => startsAs(label, p))) pass.push({id: mark(control), text: shortText(control)});
      else if (hiddenAny && args.openers.some((o) => startsAs(label, o) ||
               fold(control.getAttribute('aria-label') || '').includes(o))) openers.push({id: mark(control), text: shortText(control)});
      else if (relatedToStep(label)) related.push({id: mark(control), text: shortText(control)});
    }
  }

  // --- where the credit stands ---------------------------------------------------------------------
  const STAGE_LIST_DEPTH = 6;  // how far above the words of a stage its list may begin
  // The current stage against «Formaliza tu crédito» (`formaliza`: where its words are, as a label):
  // marked by aria-current, by a word such as "Etapa actual", or (weakest) by being the one panel left
  // open. Of several, the one closest to "Formaliza tu crédito" in the page's tree belongs to the stage
  // list (a menu's aria-current="page" does not). Null when the page does not tell.
  function currentStage(formaliza) {
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
    if (!holder) return null;
    const at = formaliza.find((el) => holder.contains(el) || el.contains(holder));
    let pos = 'at';
    if (!at) {
      const relation = formaliza[0].compareDocumentPosition(holder);
      pos = relation & Node.DOCUMENT_POSITION_FOLLOWING ? 'past' : 'before';
    }
    // A selected tab alone does not tell that the credit is elsewhere: it may just be the first tab,
    // shown before the page has picked the current stage (an expanded stage panel does tell).
    if (pos === 'at' || !holder.matches('[role=tab][aria-selected=true]') || strong.includes(holder)) {
      return {pos, text: squeeze(holder.innerText).slice(0, 120)};
    }
    return null;
  }
  const formaliza = inner.filter(([el, i, , prose]) => i === args.stageWaypoint && !prose && visible(el)).map(([el]) => el);
  const stage = formaliza.length ? currentStage(formaliza) : null;

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
  const sentences = plain(document.body ? document.body.innerText : '').replace(/\s+/g, ' ');
  const active = args.creditActive.some((rx) => new RegExp(rx).test(sentences));
  const password = [...roots].some((root) => [...root.querySelectorAll('input[type=password]')].some(visible));
  const busy = !!document.querySelector('[aria-busy=true]') || document.readyState !== 'complete';
  return {found, seen: [...seen], hidden, hiddenWaypoints: [...hiddenWaypoints], overlays, pass, openers, home, related,
          stage, password, busy, documents, noticeTitle, active, url: location.href, reading: reading()};
}
