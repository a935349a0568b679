// /web/cluster/:cluster/audit/events: the audit log with a time range, event type and user filters, paging and
// the full event as details.

import { get, messageOf } from '../core/api';
import { formatTime, h, replace, spinner } from '../core/dom';
import { framed } from '../core/layout';
import { timeRangePicker } from '../core/timeRange';
import type { AuditEvent, EventPage } from '../core/types';

const knownTypes = ['user.login', 'cert.create', 'session.start', 'session.end', 'session.join', 'session.leave', 'exec', 'port', 'user.create', 'user.update', 'user.delete',
  'role.created', 'role.deleted', 'lock.created', 'lock.deleted', 'join_token.create', 'client.disconnect', 'auth'];

export const auditPage = framed('audit', frame => {
  frame.title('Audit Log');
  const type = h('input', { list: 'event-types', placeholder: 'Event type, e.g. user.login', 'aria-label': 'Event type' });
  const user = h('input', { placeholder: 'User', 'aria-label': 'User', autocapitalize: 'none' });
  const apply = h('button', { type: 'submit', class: 'btn btn-small btn-primary' }, 'Apply');
  const picker = timeRangePicker('Last 24 hours', () => restart());
  const form = h('form', { class: 'toolbar' }, picker.el, type, user, apply,
    h('datalist', { id: 'event-types' }, knownTypes.map(t => h('option', { value: t }))));
  const list = h('div', { class: 'table-wrap' }, spinner());
  const summary = h('span', { class: 'muted' });
  const prev = h('button', { type: 'button', class: 'btn btn-small' }, '‹ Newer');
  const next = h('button', { type: 'button', class: 'btn btn-small' }, 'Older ›');
  frame.content.append(form, list, h('div', { class: 'pager' }, summary, h('span', { class: 'spacer' }), prev, next));
  const keys = [''];
  let index = 0;

  const restart = () => {
    keys.length = 1;
    index = 0;
    void load();
  };
  const render = (events: AuditEvent[]) => {
    if (events.length === 0) {
      replace(list, h('div', { class: 'empty' }, 'No events match these filters.'));
      return;
    }
    replace(list, h('table', { class: 'table table-events' },
      h('thead', null, h('tr', null, h('th', null, 'Type'), h('th', null, 'Description'), h('th', null, 'Code'), h('th', null, 'Time'), h('th', { class: 'actions' }, ''))),
      h('tbody', null, events.flatMap(event => {
        const details = h('tr', { class: 'details-row', hidden: true }, h('td', { colspan: 5 }, h('pre', { class: 'json' }, JSON.stringify(event, null, 2))));
        const toggle = h('button', { type: 'button', class: 'btn btn-small', 'aria-expanded': 'false' }, 'Details');
        toggle.addEventListener('click', () => {
          details.hidden = !details.hidden;
          toggle.setAttribute('aria-expanded', String(!details.hidden));
          toggle.textContent = details.hidden ? 'Details' : 'Hide';
        });
        const failed = String(event.code ?? '').endsWith('W') || String(event.code ?? '').endsWith('E') || event.success === false;
        return [
          h('tr', { class: failed ? 'row-warn' : null, 'data-event': String(event.event ?? '') },
            h('td', null, h('span', { class: failed ? 'badge badge-warn' : 'badge' }, String(event.event ?? ''))),
            h('td', null, describe(event)),
            h('td', { class: 'mono' }, String(event.code ?? '')),
            h('td', { class: 'nowrap' }, formatTime(String(event.time ?? ''))),
            h('td', { class: 'actions' }, toggle)),
          details,
        ];
      }))));
  };
  const load = async () => {
    const range = picker.range();
    const q = new URLSearchParams({ from: range.from.toISOString(), to: range.to.toISOString(), limit: '50', order: 'desc' });
    if (type.value.trim()) q.set('include', type.value.trim());
    if (user.value.trim()) q.set('user', user.value.trim());
    if (keys[index]) q.set('startKey', keys[index]);
    list.classList.add('stale');
    try {
      const page = await get<EventPage>(`/v1/webapi/sites/${encodeURIComponent(frame.site)}/events/search?${q}`);
      const events = page.events ?? [];
      render(events);
      if (page.startKey) keys[index + 1] = page.startKey;
      prev.disabled = index === 0;
      next.disabled = !page.startKey;
      summary.textContent = events.length ? `Page ${index + 1} · ${events.length} events` : '';
    } catch (error) {
      replace(list, h('div', { class: 'alert alert-error', role: 'alert' }, messageOf(error)));
    } finally {
      list.classList.remove('stale');
    }
  };
  form.addEventListener('submit', event => {
    event.preventDefault();
    restart();
  });
  prev.addEventListener('click', () => { index = Math.max(0, index - 1); void load(); });
  next.addEventListener('click', () => { index++; void load(); });
  void load();
});

/** One line a person reads: who did what, where. */
function describe(e: AuditEvent): string {
  const s = (key: string) => (e[key] === undefined || e[key] === null ? '' : String(e[key]));
  const user = s('user') || 'someone';
  switch (e.event) {
    case 'user.login':
      return e.success === false ? `${user} failed to sign in${s('error') ? `: ${s('error')}` : ''}` : `${user} signed in${s('method') ? ` (${s('method')})` : ''}`;
    case 'session.start':
      return `${user} started a session as ${s('login')} on ${s('server_hostname') || s('server_id')}`;
    case 'session.end':
      return `${user} ended a session as ${s('login')} on ${s('server_hostname') || s('server_id')}`;
    case 'session.join':
      return `${user} joined session ${s('sid')}`;
    case 'cert.create':
      return `A certificate was issued to ${s('identity') ? (e.identity as { user?: string }).user ?? user : user}`;
    default: {
      const target = s('name') || s('server_hostname') || s('sid');
      return `${user}${target ? ` · ${target}` : ''}${s('message') ? ` · ${s('message')}` : ''}`;
    }
  }
}
