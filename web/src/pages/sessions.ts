// /web/cluster/:cluster/sessions: the sessions running now that the user may see, with Join (observer, or the
// other modes the user's join_sessions policies allow). Refreshed every 5 s.

import { get, messageOf } from '../core/api';
import { formatTime, h, replace, spinner } from '../core/dom';
import { clusterPath, framed } from '../core/layout';
import type { ActiveSession } from '../core/types';

export const sessionsPage = framed('sessions', frame => {
  const refresh = h('button', { type: 'button', class: 'btn btn-small' }, 'Refresh');
  frame.title('Active Sessions', refresh);
  const list = h('div', { class: 'table-wrap' }, spinner());
  frame.content.append(list);
  const load = async () => {
    try {
      const { sessions } = await get<{ sessions: ActiveSession[] }>(`/v1/webapi/sites/${encodeURIComponent(frame.site)}/sessions`);
      if (sessions.length === 0) {
        replace(list, h('div', { class: 'empty' }, 'No active sessions. Sessions started with tsh ssh or the web terminal show here while they run.'));
        return;
      }
      replace(list, h('table', { class: 'table' },
        h('thead', null, h('tr', null, h('th', null, 'Server'), h('th', null, 'Login'), h('th', null, 'Participants'), h('th', null, 'Started'), h('th', { class: 'actions' }, ''))),
        h('tbody', null, sessions.map(s => h('tr', { 'data-session': s.id },
          h('td', { class: 'strong' }, s.server_hostname || s.server_id, h('div', { class: 'muted mono small' }, s.id)),
          h('td', { class: 'mono' }, s.login),
          h('td', null, h('div', { class: 'chips' }, (s.parties ?? []).map(p => h('span', { class: 'chip' }, p.mode ? `${p.user} (${p.mode})` : p.user)))),
          h('td', null, formatTime(s.created)),
          h('td', { class: 'actions' }, join(frame.site, s)))))));
    } catch (error) {
      replace(list, h('div', { class: 'alert alert-error', role: 'alert' }, messageOf(error)));
    }
  };
  refresh.addEventListener('click', () => void load());
  void load();
  const timer = window.setInterval(() => void load(), 5000);
  return () => clearInterval(timer);
});

function join(site: string, session: ActiveSession): HTMLElement {
  const modes = session.participantModes ?? [];
  if (modes.length === 0) {
    return h('span', { class: 'muted' }, 'Cannot join');
  }
  const link = (mode: string) => {
    const q = new URLSearchParams({ mode, server_id: session.server_id, login: session.login });
    return h('a', { role: 'menuitem', href: clusterPath(site, `console/session/${encodeURIComponent(session.id)}?${q}`) }, `as ${mode}`);
  };
  return h('details', { class: 'dropdown' },
    h('summary', { class: 'btn btn-small btn-primary' }, 'Join ▾'),
    h('div', { class: 'menu', role: 'menu' }, modes.map(link)));
}
