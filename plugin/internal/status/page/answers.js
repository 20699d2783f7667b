// The answer map: for each route of each geo record, the pool a client
// of that route is answered from now.
//
// A net route has clients the page can name, so it asks the query path:
// /v1/explain for the route's first network address, sent as the query's
// own source (not as a client subnet, which ecs_trust may ignore). That
// is the real answer, with failover, drains, min_healthy and overrides
// applied as a query would have them. The other kinds (country,
// continent, subdivision, asn) have no client the page can pick without
// the GeoIP database, so their answer is worked out from the pools' state
// as the query path orders them: the route's pool when it is eligible
// (min_healthy members up and not drained, at least one), else the first
// eligible pool of the record's pools in listed order, else all down.

import { explain } from './api.js';

export function eligible(pool) {
  return Boolean(pool) && pool.healthy > 0 && pool.healthy >= pool.min_healthy;
}

// answerMaps returns, for each stanza of the report, a map from a geo
// record's index to the answer of each of its routes, in route order.
export async function answerMaps(report) {
  return Promise.all((report.stanzas || []).map(async (st) => {
    const out = new Map();
    await Promise.all((st.records || []).map(async (rec, i) => {
      if (rec.routes && rec.routes.length) {
        out.set(i, await Promise.all(rec.routes.map((rt) => routeAnswer(rec, rt, st.pools || []))));
      }
    }));
    return out;
  }));
}

async function routeAnswer(rec, route, pools) {
  if (route.kind !== 'net') return fromState(rec, route, pools);
  const client = route.values[0].split('/')[0];
  try {
    const e = await explain({ name: rec.names[0], type: 'ANY', client });
    return {
      pool: e.answer.pool || '',
      action: e.answer.action,
      how: `explain for client ${client}: ${e.matched || 'no route matched'}; ${e.answer.action}`,
    };
  } catch (err) {
    return { pool: '', error: err.message, how: `explain for client ${client} failed` };
  }
}

function fromState(rec, route, pools) {
  const byName = new Map(pools.map((p) => [p.name, p]));
  const how = 'from the pools\' state';
  if (eligible(byName.get(route.pool))) return { pool: route.pool, how };
  const next = rec.pools.find((n) => n !== route.pool && eligible(byName.get(n)));
  if (next) return { pool: next, how: `${how}: ${route.pool} is not eligible` };
  return { pool: '', how: `${how}: no pool eligible` };
}
