// /web/cluster/:cluster/recordings: finished sessions (session.end events) with start time, duration, user and
// node; each opens the player.

import { get, messageOf } from '../core/api';
import { formatDuration, formatTime, h, replace, spinner } from '../core/dom';
import { clusterPath, framed } from '../core/layout';
import { timeRangePicker } from '../core/timeRange';
import type { AuditEvent, EventPage } from '../core/types';

export const recordingsPage = framed('recordings', frame => {
  frame.title('Session Recordings');
  const list = h('div', { class: 'table-wrap' }, spinner());
  const more = h('button', { type: 'button', class: 'btn btn-small', hidden: true }, 'Load more');
  let startKey = '';
  let rows: AuditEvent[] = [];
  const picker = timeRangePicker('Last 7 days', () => { rows = []; startKey = ''; void load(); });
  frame.content.append(h('div', { class: 'toolbar' }, picker.el), list, h('div', { class: 'pager' }, h('span', { class: 'spacer' }), more));

  const render = () => {
    if (rows.length === 0) {
      replace(list, h('div', { class: 'empty' }, 'No recordings in this time range.'));
      return;
    }
    replace(list, h('table', { class: 'table' },
      h('thead', null, h('tr', null, h('th', null, 'Started'), h('th', null, 'Duration'), h('th', null, 'User'), h('th', null, 'Login'), h('th', null, 'Server'), h('th', { class: 'actions' }, ''))),
      h('tbody', null, rows.map(e => {
        const sid = String(e.sid ?? '');
        const start = String(e.session_start ?? e.time ?? '');
        const stop = String(e.session_stop ?? e.time ?? '');
        const duration = new Date(stop).getTime() - new Date(start).getTime();
        return h('tr', { 'data-session': sid },
          h('td', null, formatTime(start)),
          h('td', null, formatDuration(duration)),
          h('td', { class: 'strong' }, String(e.user ?? '')),
          h('td', { class: 'mono' }, String(e.login ?? '')),
          h('td', null, String(e.server_hostname ?? e.server_id ?? '')),
          h('td', { class: 'actions' }, h('a', { class: 'btn btn-small btn-primary', href: clusterPath(frame.site, `session/${encodeURIComponent(sid)}?durationMs=${Math.max(0, duration)}`) }, '▶ Play')));
      }))));
  };
  const load = async () => {
    const range = picker.range();
    const q = new URLSearchParams({ include: 'session.end', from: range.from.toISOString(), to: range.to.toISOString(), limit: '50' });
    if (startKey) q.set('startKey', startKey);
    try {
      const page = await get<EventPage>(`/v1/webapi/sites/${encodeURIComponent(frame.site)}/events/search?${q}`);
      rows = rows.concat(page.events ?? []);
      startKey = page.startKey ?? '';
      more.hidden = !startKey;
      render();
    } catch (error) {
      replace(list, h('div', { class: 'alert alert-error', role: 'alert' }, messageOf(error)));
    }
  };
  more.addEventListener('click', () => void load());
  void load();
});
