// The records of a stanza and the answer map of its geo records.

import { el, table, badge } from './dom.js';
import { eligible } from './answers.js';

// condition says how a record answers now: all down (every answer from
// on_all_down, highlighted), failing over (a failover record's first pool
// not eligible) or ok, with the pools behind it.
function condition(rec, pools) {
  const byName = new Map(pools.map((p) => [p.name, p]));
  const up = rec.pools.filter((n) => eligible(byName.get(n)));
  const down = rec.pools.filter((n) => !up.includes(n));
  if (rec.all_down) return ['all-down', badge('all down', 'all-down'), ` no pool eligible: on_all_down ${rec.on_all_down}`];
  if (rec.policy === 'failover' && up[0] !== rec.pools[0]) {
    const from = up.length ? `answers from ${up[0]}` : 'only drained members serve';
    return ['failover', badge('failing over', 'degraded'), ` ${from}; not eligible: ${down.join(' ')}`];
  }
  return ['ok', badge('ok', 'up'), down.length ? ` not eligible: ${down.join(' ')}` : ''];
}

export function records(st) {
  const pools = st.pools || [];
  const rows = (st.records || []).map((rec) => {
    const [cond, ...now] = condition(rec, pools);
    const extra = [
      rec.answers > 1 ? `answers ${rec.answers}` : null,
      rec.cname ? 'CNAME to host-name members' : null,
      ...(rec.services || []).map((s) => `service ${s}`),
    ].filter(Boolean);
    return el('tr', { class: `record ${cond}`, 'data-record': rec.names[0], 'data-condition': cond },
      el('td', {}, rec.names.join(' '), extra.length ? el('div', { class: 'note' }, extra.join('; ')) : null),
      el('td', {}, rec.policy),
      el('td', {}, rec.pools.join(' → ')),
      el('td', { class: 'n' }, rec.ttl),
      el('td', {}, rec.on_all_down),
      el('td', { class: 'now' }, now));
  });
  return el('section', { class: 'records' }, el('h3', {}, 'Records'),
    table('records', ['Names', 'Policy', 'Pools', 'TTL', 'On all down', 'Now'], rows, 'no records'));
}

// answerMap is the route → pool table of the geo records; answers holds
// each route's answer (answers.js) by record index.
export function answerMap(st, answers) {
  const rows = [];
  (st.records || []).forEach((rec, i) => {
    (rec.routes || []).forEach((rt, j) => {
      const a = (answers.get(i) || [])[j] || { pool: '', how: 'not asked yet' };
      let now;
      if (a.error) now = [badge('error', 'down'), ` ${a.error}`];
      else if (rec.all_down) now = [badge('all down', 'all-down'), a.pool ? ` ${a.pool} (on_all_down ${rec.on_all_down})` : ` on_all_down ${rec.on_all_down}`];
      else if (a.pool === rt.pool) now = [badge('own pool', 'up'), ` ${a.pool}`];
      else now = [badge('fails over', 'degraded'), ` ${a.pool || 'none'}`];
      rows.push(el('tr', { class: 'route', 'data-record': rec.names[0], 'data-route': `${rt.kind} ${rt.values.join(' ')}` },
        el('td', {}, rec.names[0]),
        el('td', {}, `${rt.kind} ${rt.values.join(' ')}`),
        el('td', {}, rt.pool),
        el('td', { class: 'now', 'data-pool': a.pool }, now),
        el('td', { class: 'note' }, a.how)));
    });
  });
  if (!rows.length) return null;
  return el('section', { class: 'answer-map' }, el('h3', {}, 'Answer map of the geo records'),
    table('routes', ['Record', 'Route', 'Pool', 'Answers with now', 'How it is known'], rows));
}
