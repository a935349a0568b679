// /web/tokens: join tokens for nodes and proxies: list, create (the secret is shown once), delete.

import { del, get, messageOf, post } from '../core/api';
import { confirmDialog, openDialog } from '../core/dialog';
import { alertBox, busy, copyButton, field, formatTime, h, replace, spinner } from '../core/dom';
import { framed } from '../core/layout';
import type { TokenItem } from '../core/types';

const roleChoices = ['node', 'proxy', 'app', 'auth'];

export const tokensPage = framed('tokens', frame => {
  const add = h('button', { type: 'button', class: 'btn btn-primary' }, 'Create Join Token');
  frame.title('Join Tokens', add);
  const table = h('div', { class: 'table-wrap' }, spinner());
  frame.content.append(table);

  const load = async () => {
    try {
      const { items } = await get<{ items: TokenItem[] }>('/v1/webapi/tokens');
      if (items.length === 0) {
        replace(table, h('div', { class: 'empty' }, 'No join tokens. Create one to add a server to the cluster.'));
        return;
      }
      replace(table, h('table', { class: 'table' },
        h('thead', null, h('tr', null, h('th', null, 'Token'), h('th', null, 'Roles'), h('th', null, 'Expires'), h('th', { class: 'actions' }, ''))),
        h('tbody', null, items.map(token => h('tr', null,
          h('td', { class: 'mono' }, token.safeName ?? token.id),
          h('td', null, h('div', { class: 'chips' }, token.roles.map(r => h('span', { class: 'chip' }, r)))),
          h('td', null, token.isStatic ? 'never (static)' : formatTime(token.expiry)),
          h('td', { class: 'actions' }, token.isStatic ? null : h('button', {
            type: 'button', class: 'btn btn-small btn-danger-outline',
            onclick: () => confirmDialog('Delete join token', 'Delete this token? Hosts that have not joined with it yet cannot use it.', 'Delete', async () => {
              await del(`/v1/webapi/tokens/${encodeURIComponent(token.id)}`);
              await load();
            }),
          }, 'Delete')))))));
    } catch (error) {
      replace(table, h('div', { class: 'alert alert-error', role: 'alert' }, messageOf(error)));
    }
  };
  add.addEventListener('click', () => {
    const error = alertBox('error');
    const boxes = roleChoices.map(role => h('input', { type: 'checkbox', value: role, checked: role === 'node' }));
    const ttl = h('select', null, [['15 minutes', 900], ['30 minutes', 1800], ['1 hour', 3600], ['4 hours', 14400], ['24 hours', 86400]]
      .map(([label, seconds]) => h('option', { value: seconds, selected: seconds === 1800 }, String(label))));
    const save = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Create Token');
    const body = h('div');
    const form = h('form', null, error.el,
      h('fieldset', { class: 'field' }, h('legend', null, 'Roles'), h('div', { class: 'checks' }, boxes.map(b => h('label', { class: 'check' }, b, b.value)))),
      field('Expires in', ttl),
      h('div', { class: 'dialog-actions' }, h('button', { type: 'button', class: 'btn', onclick: () => close() }, 'Cancel'), save));
    body.append(form);
    const { close } = openDialog('Create a join token', body);
    form.addEventListener('submit', event => {
      event.preventDefault();
      error.clear();
      const roles = boxes.filter(b => b.checked).map(b => b.value);
      if (roles.length === 0) {
        error.show('Pick at least one role.');
        return;
      }
      void busy(save, async () => {
        try {
          const token = await post<{ id: string; roles: string[]; expiry: string }>('/v1/webapi/tokens', { roles, expires_in: Number(ttl.value) });
          replace(body,
            h('p', null, `The token for ${token.roles.join(', ')} expires ${formatTime(token.expiry)}. It is shown only now.`),
            h('div', { class: 'copy-row' }, h('input', { class: 'mono', readonly: true, value: token.id, 'aria-label': 'Token', 'data-testid': 'token-secret' }), copyButton(() => token.id)),
            h('p', { class: 'muted' }, 'On the new host: ', h('code', null, `teleport start --roles=${token.roles.join(',')} --token=${token.id} --auth-server=${location.host}`)),
            h('div', { class: 'dialog-actions' }, h('button', { type: 'button', class: 'btn btn-primary', onclick: () => close() }, 'Done')));
          await load();
        } catch (e) {
          error.show(messageOf(e));
        }
      });
    });
  });
  void load();
});
