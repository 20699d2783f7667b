// The API client of the page. With a token configured on the listener,
// the page cannot send a header by itself: the user gives the token once
// in the token form, it is kept in sessionStorage (this tab, until it
// closes) and sent as Authorization: Bearer on every request. The page's
// own files are served without the token; the JSON needs it.

const KEY = 'gslb-status-token';

export function token() {
  return sessionStorage.getItem(KEY) || '';
}

export function setToken(t) {
  if (t) sessionStorage.setItem(KEY, t);
  else sessionStorage.removeItem(KEY);
}

// AuthError is a 401: no token, or the wrong one.
export class AuthError extends Error {}

// get fetches path and returns its JSON, throwing AuthError on a 401 and
// an Error with the API's own message ({"error": ...}) on other failures.
export async function get(path) {
  const headers = { Accept: 'application/json' };
  const t = token();
  if (t) headers.Authorization = `Bearer ${t}`;
  let r;
  try {
    r = await fetch(path, { headers, cache: 'no-store', credentials: 'omit' });
  } catch (e) {
    throw new Error(`the status listener did not answer (${e.message})`);
  }
  let body = null;
  try {
    body = await r.json();
  } catch {
    // Not JSON: a proxy's page, a truncated reply. The status says enough.
  }
  const msg = body && typeof body.error === 'string' ? body.error : r.statusText;
  if (r.status === 401) throw new AuthError(msg);
  if (!r.ok) throw new Error(`${r.status}: ${msg}`);
  return body;
}

// explain asks /v1/explain; params are name, type, client, resolver, and
// empty ones are left out (the API takes its defaults).
export function explain(params) {
  const q = new URLSearchParams();
  for (const k of ['name', 'type', 'client', 'resolver']) {
    const v = (params[k] || '').trim();
    if (v) q.set(k, v);
  }
  return get(`/v1/explain?${q}`);
}
