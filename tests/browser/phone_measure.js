/* What tests/browser/test_phone_width.py measures in a page at 360 px: whether the
   document is wider than the screen (and its widest element), what scrolls sideways
   inside it, what leaves its card or cuts an amount across two lines, and which touch
   targets are under `touch` px high. Called with page.evaluate(source, touch). */
(touch) => {
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += '#' + el.id;
    const classes = (typeof el.className === 'string' ? el.className : '').trim().split(/\s+/).filter(Boolean);
    if (classes.length) name += '.' + classes.slice(0, 3).join('.');
    const text = (el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 40);
    return text ? `${name} "${text}"` : name;
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  const out = {width: document.documentElement.scrollWidth, screen: window.innerWidth,
               widest: null, scrolls: [], spills: [], small: []};
  if (out.width > out.screen) {
    // The deepest element reaching furthest right is the one to fix; when no box passes
    // the screen's edge, the deepest one whose content (text, a label drawn by CSS) does.
    const all = document.body.querySelectorAll('*');
    let widest = null, right = out.screen + 1;
    for (const el of all) {
      const r = el.getBoundingClientRect();
      if (r.width && r.right >= right) { right = r.right; widest = el; }
    }
    if (!widest) {
      for (const el of all) {
        const reach = el.getBoundingClientRect().left + el.scrollWidth;
        if (reach >= right) { right = reach; widest = el; }
      }
    }
    out.widest = widest ? `${describe(widest)} (reaching ${Math.round(right)} px)` : null;
  }
  for (const el of document.querySelectorAll('main *')) {
    const style = getComputedStyle(el);
    if ((style.overflowX === 'auto' || style.overflowX === 'scroll') && el.scrollWidth > el.clientWidth + 1) {
      const inner = el.querySelector('table') || el.firstElementChild || el;
      out.scrolls.push(`${describe(inner)} is ${el.scrollWidth} px in a ${el.clientWidth} px box`);
    }
  }
  for (const card of document.querySelectorAll('main .card, main .table-stack > tbody > tr')) {
    const box = card.getBoundingClientRect();
    if (!box.width) continue;
    for (const el of card.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width && r.right > box.right + 1) {
        out.spills.push(`${describe(el)} ends at ${Math.round(r.right)} px, its card at ${Math.round(box.right)} px`);
        break;
      }
    }
  }
  for (const el of document.querySelectorAll('main .money, main .stat-value')) {
    // An amount alone ("322.263.600 đ") must sit on one line, not be cut across two.
    if (!/^-?[0-9.]+\u00a0?đ$/.test((el.textContent || '').trim()) || !visible(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(el);
    const tops = new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top)));
    if (tops.size > 1) out.spills.push(`${describe(el)} is cut across ${tops.size} lines`);
  }
  for (const el of document.querySelectorAll('main .btn, .page-link, .navbar .nav-link, .navbar .dropdown-item, .navbar-toggler')) {
    if (!visible(el)) continue;
    const h = el.getBoundingClientRect().height;
    if (h < touch - 0.5) out.small.push(`${describe(el)} is ${Math.round(h)} px high`);
  }
  return out;
}
