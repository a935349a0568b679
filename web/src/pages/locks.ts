// /web/locks: session and identity locks: list, lock a user, role, login or node (with a message and expiry),
// remove a lock.

import { del, get, messageOf, put } from '../core/api';
import { confirmDialog, openDialog } from '../core/dialog';
import { alertBox, busy, field, formatTime, h, replace, spinner } from '../core/dom';
import { framed } from '../core/layout';
import type { LockItem } from '../core/types';

export const locksPage = framed('locks', frame => {
  const add = h('button', { type: 'button', class: 'btn btn-primary' }, 'Add Lock');
  frame.title('Session & Identity Locks', add);
  const table = h('div', { class: 'table-wrap' }, spinner());
  frame.content.append(table);
  const base = `/v1/webapi/sites/${encodeURIComponent(frame.site)}/locks`;

  const load = async () => {
    try {
      const locks = await get<LockItem[]>(base);
      if (locks.length === 0) {
        replace(table, h('div', { class: 'empty' }, 'No locks are in force.'));
        return;
      }
      replace(table, h('table', { class: 'table' },
        h('thead', null, h('tr', null, h('th', null, 'Target'), h('th', null, 'Message'), h('th', null, 'Created'), h('th', null, 'Expires'), h('th', { class: 'actions' }, ''))),
        h('tbody', null, locks.map(lock => h('tr', { 'data-lock': lock.name },
          h('td', null, h('div', { class: 'chips' }, lock.targets.map(t => h('span', { class: 'chip chip-warn' }, `${t.kind}: ${t.name}`)))),
          h('td', null, lock.message ?? ''),
          h('td', null, formatTime(lock.createdAt), lock.createdBy ? h('div', { class: 'muted small' }, `by ${lock.createdBy}`) : null),
          h('td', null, lock.expires ? formatTime(lock.expires) : 'never'),
          h('td', { class: 'actions' }, h('button', {
            type: 'button', class: 'btn btn-small btn-danger-outline',
            onclick: () => confirmDialog('Remove lock', 'Remove this lock? What it targets can connect again.', 'Remove', async () => {
              await del(`${base}/${encodeURIComponent(lock.name)}`);
              await load();
            }),
          }, 'Remove')))))));
    } catch (error) {
      replace(table, h('div', { class: 'alert alert-error', role: 'alert' }, messageOf(error)));
    }
  };
  add.addEventListener('click', () => {
    const error = alertBox('error');
    const kind = h('select', null, ['user', 'role', 'login', 'node'].map(k => h('option', { value: k }, k)));
    const name = h('input', { required: true, autocapitalize: 'none' });
    const message = h('input', { placeholder: 'Shown to the locked-out party' });
    const ttl = h('input', { placeholder: 'e.g. 1h, 30m; empty = until removed' });
    const save = h('button', { type: 'submit', class: 'btn btn-danger' }, 'Create Lock');
    const form = h('form', null, error.el,
      h('div', { class: 'field-row' }, field('Target kind', kind), field('Target', name)),
      field('Message', message), field('Expires after', ttl),
      h('div', { class: 'dialog-actions' }, h('button', { type: 'button', class: 'btn', onclick: () => close() }, 'Cancel'), save));
    const { close } = openDialog('Add a lock', form);
    name.focus();
    form.addEventListener('submit', event => {
      event.preventDefault();
      error.clear();
      void busy(save, async () => {
        try {
          await put(base, { targets: { [kind.value]: name.value.trim() }, message: message.value.trim(), ttl: ttl.value.trim() });
          close();
          await load();
        } catch (e) {
          error.show(messageOf(e));
        }
      });
    });
  });
  void load();
});
