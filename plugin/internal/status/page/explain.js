// The explain form: what would a query for NAME and TYPE from CLIENT get
// now, as /v1/explain (the query path itself) says.

import { el, table, badge, num } from './dom.js';
import { explain } from './api.js';

// field is one labelled fact of the result, findable by its name.
function field(name, label, value) {
  if (value === undefined || value === null || value === '') return null;
  return el('div', { class: 'field' }, el('span', { class: 'label' }, `${label} `), el('span', { 'data-field': name }, value));
}

function poolsTable(pools) {
  const rows = pools.map((p) => el('tr', { class: p.chosen ? 'chosen' : null, 'data-pool': p.pool },
    el('td', {}, p.pool),
    el('td', {}, badge(p.usable ? 'usable' : 'skipped', p.usable ? 'up' : 'down')),
    el('td', {}, p.why),
    el('td', { class: 'n' }, p.weight || ''),
    el('td', { class: 'n' }, p.share ? num(p.share) : ''),
    el('td', {}, p.chosen ? 'chosen' : '')));
  return table('explain-pools', ['Pool', '', 'Why', 'Weight', 'Share', ''], rows);
}

export function renderExplanation(e) {
  const a = e.answer || {};
  return el('div', { class: 'explanation' },
    field('question', 'question', `${e.name} ${e.type}`),
    field('client', 'client', `${e.client.address} (${e.client.source})`),
    field('record', 'record', e.record || 'none: the name is no record'),
    field('policy', 'policy', e.policy),
    field('matched', 'matched', e.matched),
    field('location', 'location', e.location),
    e.pools && e.pools.length ? poolsTable(e.pools) : null,
    field('rcode', 'rcode', a.rcode),
    field('action', 'action', a.action),
    field('pool', 'from pool', a.pool),
    field('ttl', 'TTL', a.ttl),
    field('scope', 'ECS scope', a.scope),
    a.records && a.records.length ? el('pre', { 'data-field': 'records' }, a.records.join('\n')) : null);
}

// wireExplain sends the form by fetch (the CSP's form-action 'none' keeps
// it from ever being posted) and shows the result or the API's message.
export function wireExplain(form, out) {
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    out.replaceChildren(el('p', { class: 'note' }, 'asking…'));
    try {
      out.replaceChildren(renderExplanation(await explain(data)));
    } catch (err) {
      out.replaceChildren(el('p', { class: 'error', 'data-field': 'error' }, err.message));
    }
  });
}
