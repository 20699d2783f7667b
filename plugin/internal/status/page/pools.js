// The pools and members of a stanza, coloured by state, the overrides in
// force and the fleet's store.

import { el, table, badge, num, time } from './dom.js';
import { eligible } from './answers.js';

const heads = ['Pool / member', 'State', 'Weight', 'Factor', 'Signals below 1', 'Reason', 'Forced', 'Fleet'];

function poolRow(p) {
  const weight = p.effective_weight === p.weight ? `weight ${p.weight}` : `weight ${p.weight}, effective ${p.effective_weight}`;
  const facts = [`${p.healthy} of ${p.members.length} healthy, min_healthy ${p.min_healthy}`, weight];
  if (p.checks && p.checks.length) facts.push(`checks ${p.checks.join(' ')}`);
  const ok = eligible(p);
  return el('tr', { class: `pool ${ok ? 'eligible' : 'ineligible'}`, 'data-pool': p.name },
    el('th', { colspan: heads.length, scope: 'rowgroup' }, p.name, ' ',
      badge(ok ? 'eligible' : 'not eligible', ok ? 'up' : 'down'), el('span', { class: 'note' }, ` ${facts.join('; ')}`)));
}

// signals lists the factors below 1 (slow, errors, agent, metric).
function signals(m) {
  return Object.entries(m.signals || {}).filter(([, f]) => f < 1).sort()
    .map(([name, f]) => `${name} ${num(f)}`).join(', ');
}

function fleet(m) {
  const parts = [];
  if (m.local) parts.push(`local ${m.local.up ? 'up' : 'down'} ${num(m.local.factor)}${m.local.reason ? `: ${m.local.reason}` : ''}`);
  for (const v of m.votes || []) {
    parts.push(`${v.observer} ${v.state} since ${time(v.since)}${v.error ? `: ${v.error}` : ''}`);
  }
  return parts.map((p) => el('div', {}, p));
}

function memberRow(p, m) {
  return el('tr', { class: `member state-${m.state}`, 'data-pool': p.name, 'data-member': m.member, 'data-state': m.state },
    el('td', { class: 'name' }, m.member,
      m.addresses && m.addresses.length ? el('div', { class: 'note' }, m.addresses.join(' ')) : null,
      m.from ? el('div', { class: 'note from' }, m.from) : null),
    el('td', { class: 'state' }, badge(m.state)),
    el('td', { class: 'n' }, m.weight),
    el('td', { class: 'n' }, num(m.factor)),
    el('td', { class: 'signals' }, signals(m)),
    el('td', { class: 'reason' }, m.reason || ''),
    el('td', { class: 'forced' }, m.forced || ''),
    el('td', { class: 'fleet' }, fleet(m)));
}

export function pools(st) {
  const rows = (st.pools || []).flatMap((p) => [poolRow(p), ...p.members.map((m) => memberRow(p, m))]);
  return el('section', { class: 'pools' }, el('h3', {}, 'Pools and members'), table('pools', heads, rows, 'no pools'));
}

export function overrides(st) {
  const rows = (st.overrides || []).map((o) => el('tr', { class: 'override' },
    el('td', { class: 'source' }, `${o.source}:${o.line}`),
    el('td', {}, o.op), el('td', {}, o.target), el('td', { class: 'n' }, o.weight || '')));
  return el('section', { class: 'overrides' }, el('h3', {}, 'Overrides in force'),
    table('overrides', ['Source', 'Operation', 'Target', 'Weight'], rows, 'none in force'));
}

export function store(st) {
  if (!st.store) return null;
  const s = st.store;
  const rows = (s.observers || []).map((o) => el('tr', {},
    el('td', {}, o.name), el('td', {}, o.isolated ? badge('isolated', 'down') : ''), el('td', { class: 'n' }, o.votes)));
  return el('section', { class: 'store' }, el('h3', {}, 'Fleet store'),
    el('p', {}, badge(s.connected ? 'connected' : 'disconnected', s.connected ? 'up' : 'down'), ' ',
      badge(s.usable ? 'verdicts followed' : 'verdicts not followed', s.usable ? 'up' : 'degraded')),
    table('observers', ['Observer', '', 'Votes'], rows, 'no live observer'));
}
