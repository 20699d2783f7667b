// The page's loop: every 2 seconds it reads /v1/status (and the answer
// map's explains), rebuilds the stanzas' sections and says how fresh
// they are. The explain form and the token form are outside what is
// rebuilt, so typing in them is never interrupted.

import { el, time } from './dom.js';
import { get, token, setToken, AuthError } from './api.js';
import { answerMaps } from './answers.js';
import { records, answerMap } from './records.js';
import { pools, overrides, store } from './pools.js';
import { wireExplain } from './explain.js';

const every = 2000; // ms between the end of one refresh and the next
const $ = (id) => document.getElementById(id);

function stanza(st, answers) {
  return el('section', { class: 'stanza' },
    el('h2', {}, st.zones.join(' '), el('span', { class: 'note' }, ` compiled ${time(st.compiled)}`)),
    records(st), answerMap(st, answers), pools(st), overrides(st), store(st));
}

function fresh(state, text) {
  const p = $('freshness');
  p.dataset.state = state;
  p.textContent = text;
}

let last = null; // when the page last showed a report

async function refresh() {
  try {
    const rep = await get('/v1/status');
    const maps = await answerMaps(rep);
    const sections = (rep.stanzas || []).map((st, i) => stanza(st, maps[i]));
    $('stanzas').replaceChildren(...(sections.length ? sections : [el('p', { class: 'note' }, 'No gslb stanza on this listener.')]));
    $('names').replaceChildren(...(rep.stanzas || []).flatMap((st) => (st.records || []).flatMap((r) => r.names))
      .map((n) => el('option', { value: n })));
    last = rep.generated;
    $('auth').hidden = true;
    $('forget').hidden = !token();
    fresh('live', `updated ${time(rep.generated)}, every ${every / 1000} s`);
  } catch (err) {
    if (err instanceof AuthError) {
      // A stored token that is refused (rotated on a reload) is dropped,
      // so the form asks for the new one.
      if (token()) {
        $('auth-message').textContent = `The token was refused: ${err.message}`;
        setToken('');
      } else if ($('auth').hidden) {
        $('auth-message').textContent = 'This status listener needs its token.';
      }
      $('auth').hidden = false;
      $('forget').hidden = true;
      $('stanzas').replaceChildren();
      fresh('auth', 'waiting for the token');
    } else {
      fresh('stale', `${last ? `not updated since ${time(last)}` : 'no status yet'}: ${err.message}`);
    }
  }
}

async function loop() {
  await refresh();
  setTimeout(loop, every);
}

$('auth').addEventListener('submit', (ev) => {
  ev.preventDefault();
  setToken($('token').value.trim());
  $('token').value = '';
  refresh();
});
$('forget').addEventListener('click', () => {
  setToken('');
  refresh();
});
wireExplain($('explain-form'), $('explain-result'));
loop();
