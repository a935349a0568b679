// /web/users: add a user (then hand out the invite link), reset a user (a reset link), delete a user.

import { del, get, messageOf, post } from '../core/api';
import { confirmDialog, openDialog } from '../core/dialog';
import { alertBox, busy, copyButton, field, formatTime, h, replace, spinner } from '../core/dom';
import { framed } from '../core/layout';
import type { ResetToken, UserItem } from '../core/types';

const list = (text: string) => text.split(/[,\s]+/).map(s => s.trim()).filter(s => s.length > 0);

export const usersPage = framed('users', frame => {
  const add = h('button', { type: 'button', class: 'btn btn-primary' }, 'Create New User');
  frame.title('Users', add);
  const table = h('div', { class: 'table-wrap' }, spinner());
  frame.content.append(table);

  const load = async () => {
    try {
      const users = await get<UserItem[]>('/v1/webapi/users');
      replace(table, h('table', { class: 'table' },
        h('thead', null, h('tr', null, h('th', null, 'Name'), h('th', null, 'Roles'), h('th', null, 'Logins'), h('th', null, 'Type'), h('th', { class: 'actions' }, ''))),
        h('tbody', null, users.map(user => h('tr', { 'data-user': user.name },
          h('td', { class: 'strong' }, user.name),
          h('td', null, h('div', { class: 'chips' }, user.roles.map(r => h('span', { class: 'chip' }, r)))),
          h('td', { class: 'mono' }, (user.traits?.logins ?? []).join(', ')),
          h('td', null, user.authType ?? 'local'),
          h('td', { class: 'actions' },
            h('button', { type: 'button', class: 'btn btn-small', onclick: () => showLink(user.name, 'reset') }, 'Reset'),
            h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', onclick: () => remove(user.name) }, 'Delete')))))));
    } catch (error) {
      replace(table, h('div', { class: 'alert alert-error', role: 'alert' }, messageOf(error)));
    }
  };
  const remove = (name: string) => confirmDialog('Delete user', `Delete ${name}? Their sessions and certificates stop working when they expire.`, 'Delete', async () => {
    await del(`/v1/webapi/users/${encodeURIComponent(name)}`);
    await load();
  });
  const showLink = (name: string, type: 'invite' | 'reset') => {
    const body = h('div', null, spinner('Creating the link…'));
    openDialog(type === 'invite' ? `Invite ${name}` : `Reset ${name}`, body);
    void (async () => {
      try {
        const token = await post<ResetToken>('/v1/webapi/users/password/token', { name, type });
        const url = h('input', { class: 'mono', readonly: true, value: token.url, 'aria-label': 'Link', 'data-testid': 'user-link' });
        replace(body,
          h('p', null, `Share this link with ${name}. ${type === 'invite' ? 'They set a password and enrol an authenticator with it' : 'It sets a new password and authenticator'}; it expires ${formatTime(token.expiry)}.`),
          h('div', { class: 'copy-row' }, url, copyButton(() => token.url)));
        url.select();
      } catch (error) {
        replace(body, h('div', { class: 'alert alert-error', role: 'alert' }, messageOf(error)));
      }
    })();
  };
  add.addEventListener('click', () => {
    const error = alertBox('error');
    const name = h('input', { required: true, autocapitalize: 'none', spellcheck: 'false' });
    const roles = h('input', { value: 'access', required: true });
    const logins = h('input', { placeholder: 'root, ubuntu' });
    const save = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Create User');
    const form = h('form', null, error.el,
      field('Username', name),
      field('Roles', roles, 'Comma-separated role names.'),
      field('Logins', logins, 'Comma-separated OS logins the user may use.'),
      h('div', { class: 'dialog-actions' }, h('button', { type: 'button', class: 'btn', onclick: () => close() }, 'Cancel'), save));
    const { close } = openDialog('Create a user', form);
    name.focus();
    form.addEventListener('submit', event => {
      event.preventDefault();
      error.clear();
      void busy(save, async () => {
        try {
          await post('/v1/webapi/users', { name: name.value.trim(), roles: list(roles.value), traits: { logins: list(logins.value) } });
          close();
          await load();
          showLink(name.value.trim(), 'invite');
        } catch (e) {
          error.show(messageOf(e));
        }
      });
    });
  });
  void load();
});
