// DOM building for the page. Every string becomes a text node (through
// textContent or append), never markup: names, reasons and override
// sources come from configuration, probes and files, and a '<' in one
// must show as '<', not start an element.

// el makes an element. attrs sets attributes (class, data-*, title...),
// skipping null and undefined values; each child is a node, or a string
// or number shown as text; arrays are flattened and null skipped.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== null && v !== undefined && v !== false) node.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

// table makes a table with a header row of heads and the given body rows
// (tr elements); with no rows, one row saying empty.
export function table(cls, heads, rows, empty = 'none') {
  const body = rows.length ? rows : [el('tr', { class: 'empty' }, el('td', { colspan: heads.length }, empty))];
  return el('table', { class: cls },
    el('thead', {}, el('tr', {}, heads.map((h) => el('th', {}, h)))),
    el('tbody', {}, body));
}

// badge is a coloured word: a member's state, a record's condition.
export function badge(word, cls = word) {
  return el('span', { class: `badge ${cls.replace(/[^a-z-]/g, '-')}` }, word);
}

// num shows a factor or share with up to 3 decimals.
export function num(x) {
  return Number.isInteger(x) ? String(x) : x.toFixed(3).replace(/0+$/, '');
}

// time shows an RFC 3339 time as the browser's local time of day.
export function time(s) {
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? String(s) : d.toLocaleTimeString([], { hour12: false });
}
