// The frame of every signed-in page: a top bar (cluster, user menu) and a side navigation that shows only the
// pages the user's roles allow. On a phone the navigation folds behind a menu button.

import { messageOf } from './api';
import { h, spinner } from './dom';
import { icon } from './icons';
import { navigate, type Page, type Params } from './router';
import { context, loadContext, signedIn, signOut } from './session';
import type { UserContext } from './types';

export interface Frame {
  ctx: UserContext;
  site: string;
  content: HTMLElement;
  /** Sets the page heading and document title. */
  title(text: string, ...actions: HTMLElement[]): void;
}

type FramedPage = (frame: Frame, params: Params, query: URLSearchParams) => void | (() => void) | Promise<void | (() => void)>;

export const clusterPath = (site: string, rest: string) => `/web/cluster/${encodeURIComponent(site)}/${rest}`;

/** Sends a visitor without a session to the login page, remembering where they were going. */
export function requireSignIn(): boolean {
  if (signedIn()) {
    return true;
  }
  navigate(`/web/login?redirect_uri=${encodeURIComponent(location.pathname + location.search)}`, true);
  return false;
}

export function framed(active: string, page: FramedPage): Page {
  return async (container, params, query) => {
    if (!requireSignIn()) {
      return;
    }
    container.append(spinner());
    let ctx: UserContext;
    try {
      ctx = await loadContext();
    } catch (error) {
      container.replaceChildren(h('div', { class: 'center-card' }, h('div', { class: 'alert alert-error', role: 'alert' }, messageOf(error))));
      return;
    }
    const site = ctx.cluster.name;
    const heading = h('h1', null);
    const actions = h('div', { class: 'page-actions' });
    const content = h('section', { class: 'page-content' });
    const main = h('main', { class: 'main' }, h('header', { class: 'page-header' }, heading, actions), content);
    container.replaceChildren(h('div', { class: 'shell' }, topBar(ctx), h('div', { class: 'shell-body' }, sideNav(ctx, site, active), main)));
    const frame: Frame = {
      ctx,
      site,
      content,
      title(text, ...buttons) {
        heading.textContent = text;
        document.title = `${text} · Teleport`;
        actions.replaceChildren(...buttons);
      },
    };
    return page(frame, params, query);
  };
}

function topBar(ctx: UserContext): HTMLElement {
  const menu = h('details', { class: 'user-menu' },
    h('summary', { 'aria-label': 'User menu' }, h('span', { class: 'avatar', 'aria-hidden': 'true' }, ctx.userName.slice(0, 1).toUpperCase()), h('span', { class: 'user-name' }, ctx.userName)),
    h('div', { class: 'menu' },
      h('div', { class: 'menu-note' }, 'Roles: ', ctx.roles.join(', ') || 'none'),
      h('a', { href: '/web/account' }, 'Account settings'),
      h('button', { type: 'button', onclick: () => void leave(false) }, 'Sign Out'),
      h('button', { type: 'button', onclick: () => void leave(true) }, 'Sign out everywhere')));
  menu.addEventListener('click', event => {
    if ((event.target as Element).closest('.menu a, .menu button')) {
      menu.open = false;
    }
  });
  return h('header', { class: 'topbar' },
    h('button', {
      type: 'button', class: 'nav-toggle', 'aria-label': 'Menu',
      onclick: () => document.body.classList.toggle('nav-open'),
    }, icon('menu', 20)),
    h('a', { class: 'brand', href: clusterPath(ctx.cluster.name, 'resources') }, h('span', { class: 'brand-mark' }, icon('logo', 18)), 'Teleport'),
    h('span', { class: 'cluster-chip', title: 'Cluster' }, ctx.cluster.name),
    h('span', { class: 'spacer' }),
    menu);
}

async function leave(everywhere: boolean): Promise<void> {
  try {
    await signOut(everywhere);
  } catch {
    // The session may already be gone; the token is forgotten either way.
  }
  navigate('/web/login', true);
}

function sideNav(ctx: UserContext, site: string, active: string): HTMLElement {
  const acl = ctx.userAcl ?? {};
  const can = (key: keyof NonNullable<UserContext['userAcl']>) => acl[key]?.list ?? false;
  const item = (key: string, href: string, label: string, name: string) =>
    h('a', { href, class: key === active ? 'nav-item active' : 'nav-item', 'aria-current': key === active ? 'page' : null }, h('span', { class: 'nav-icon' }, icon(name)), label);
  const management = [
    can('users') ? item('users', '/web/users', 'Users', 'users') : null,
    can('roles') ? item('roles', '/web/roles', 'Roles', 'roles') : null,
    can('tokens') ? item('tokens', '/web/tokens', 'Join Tokens', 'tokens') : null,
    can('locks') ? item('locks', '/web/locks', 'Session & Identity Locks', 'locks') : null,
  ].filter(x => x !== null);
  const nav = h('nav', { class: 'sidenav', 'aria-label': 'Main' },
    h('div', { class: 'nav-section' }, 'Resources'),
    item('resources', clusterPath(site, 'resources'), 'Servers', 'servers'),
    item('apps', clusterPath(site, 'apps'), 'Applications', 'apps'),
    h('div', { class: 'nav-section' }, 'Activity'),
    item('sessions', clusterPath(site, 'sessions'), 'Active Sessions', 'sessions'),
    can('recordedSessions') || acl.recordedSessions === undefined ? item('recordings', clusterPath(site, 'recordings'), 'Session Recordings', 'recordings') : null,
    can('events') || acl.events === undefined ? item('audit', clusterPath(site, 'audit/events'), 'Audit Log', 'audit') : null,
    management.length > 0 ? h('div', { class: 'nav-section' }, 'Management') : null,
    management,
    h('div', { class: 'nav-section' }, 'You'),
    item('account', '/web/account', 'Account', 'account'));
  nav.addEventListener('click', event => {
    if ((event.target as Element).closest('a')) {
      document.body.classList.remove('nav-open');
    }
  });
  return nav;
}

/** The current context, for pages outside the frame (the terminal). */
export function currentContext(): UserContext | null {
  return context();
}
