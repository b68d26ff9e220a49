// Marks (data-infonavit-nss) each element that shows the NSS in any form: an input's value (read-only or
// not), its own text, or the text a style puts before or after it, the digits plain or spread out with
// `separators` (a regex source) between them.
([digits, separators]) => {
  const rx = new RegExp('(?<!\\d)' + digits.split('').join(separators) + '(?!\\d)');
  // What an element shows of its own: its value, its own text, what its style writes before and after it.
  function shown(el) {
    return [
      'value' in el ? String(el.value) : '',
      [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.nodeValue).join(' '),
      getComputedStyle(el, '::before').content, getComputedStyle(el, '::after').content,
    ];
  }
  for (const el of document.querySelectorAll('body, body *')) {
    if (shown(el).some((text) => rx.test(text))) el.setAttribute('data-infonavit-nss', '');
  }
}
