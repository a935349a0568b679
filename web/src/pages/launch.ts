// /web/launch/:fqdn/:clusterId?/:publicAddr?: opens an app for a browser signed into the web UI, as Teleport's
// launcher does (RFD 103). Without ?state it goes to the app's /x-teleport-auth, which sets a state cookie on the
// app's host and sends the browser back here with the same state; then it creates the app session from the web
// session and hands the session to the app's host in the URL fragment with the state, which that host checks
// against its cookie before setting the session cookie.

import { messageOf, post } from '../core/api';
import { h, spinner } from '../core/dom';
import { requireSignIn } from '../core/layout';
import type { Page } from '../core/router';
import type { AppSessionResponse } from '../core/types';

/** The app's origin: its host name on the port this page was served from (apps share the proxy's web port). */
function appOrigin(fqdn: string): string {
  const host = fqdn.split(':')[0];
  return `https://${host}${location.port ? `:${location.port}` : ''}`;
}

export const launchPage: Page = async (container, params, query) => {
  document.title = 'Launching an application · Teleport';
  if (!requireSignIn()) {
    return;
  }
  const fqdn = params.fqdn ?? '';
  const message = h('p', { class: 'muted' }, `Opening ${fqdn}…`);
  const card = h('div', { class: 'auth-card' }, h('h1', null, 'Launching the application'), message, spinner());
  container.replaceChildren(h('div', { class: 'auth-page' }, card));
  if (!/^[A-Za-z0-9.-]+(:\d+)?$/.test(fqdn)) {
    card.replaceChildren(h('h1', null, 'Cannot launch'), h('div', { class: 'alert alert-error', role: 'alert' }, `"${fqdn}" is not an application address.`));
    return;
  }
  const path = query.get('path') ?? '';
  const state = query.get('state');
  const origin = appOrigin(fqdn);
  if (!state) {
    const start = new URL('/x-teleport-auth', origin);
    if (path) start.searchParams.set('path', path);
    location.replace(start.toString());
    return;
  }
  try {
    const session = await post<AppSessionResponse>('/v1/webapi/sessions/app', {
      fqdn,
      cluster_name: params.clusterId ?? '',
      public_addr: params.publicAddr ?? '',
    });
    const next = new URL('/x-teleport-auth', origin);
    next.searchParams.set('state', state);
    if (path) next.searchParams.set('path', path);
    next.hash = new URLSearchParams({ value: session.cookie_value }).toString();
    location.replace(next.toString());
  } catch (error) {
    card.replaceChildren(
      h('h1', null, 'Cannot launch'),
      h('div', { class: 'alert alert-error', role: 'alert' }, messageOf(error)),
      h('a', { class: 'btn btn-primary btn-block', href: '/web' }, 'Back to the web UI'));
  }
};
