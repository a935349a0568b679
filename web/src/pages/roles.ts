// /web/roles: roles as YAML (what tctl create takes), created, edited and deleted here; the proxy's validation
// message is shown under the editor.

import { del, get, messageOf, post, put } from '../core/api';
import { confirmDialog, openDialog } from '../core/dialog';
import { alertBox, busy, h, replace, spinner } from '../core/dom';
import { framed } from '../core/layout';
import type { RoleItem } from '../core/types';

const template = `kind: role
version: v7
metadata:
  name: new-role
spec:
  allow:
    logins: ['{{internal.logins}}']
    node_labels:
      '*': '*'
  deny: {}
  options:
    max_session_ttl: 8h0m0s
`;

export const rolesPage = framed('roles', frame => {
  const add = h('button', { type: 'button', class: 'btn btn-primary' }, 'Create New Role');
  frame.title('Roles', add);
  const table = h('div', { class: 'table-wrap' }, spinner());
  frame.content.append(table);

  const load = async () => {
    try {
      const roles = await get<RoleItem[]>('/v1/webapi/roles');
      replace(table, h('table', { class: 'table' },
        h('thead', null, h('tr', null, h('th', null, 'Name'), h('th', null, 'Description'), h('th', { class: 'actions' }, ''))),
        h('tbody', null, roles.map(role => h('tr', { 'data-role': role.name },
          h('td', { class: 'strong' }, role.name),
          h('td', { class: 'muted' }, description(role.content)),
          h('td', { class: 'actions' },
            h('button', { type: 'button', class: 'btn btn-small', onclick: () => edit(role) }, 'Edit'),
            h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', onclick: () => remove(role.name) }, 'Delete')))))));
    } catch (error) {
      replace(table, h('div', { class: 'alert alert-error', role: 'alert' }, messageOf(error)));
    }
  };
  const remove = (name: string) => confirmDialog('Delete role', `Delete the role ${name}? Users holding it lose what it allows at their next login.`, 'Delete', async () => {
    await del(`/v1/webapi/roles/${encodeURIComponent(name)}`);
    await load();
  });
  const edit = (role: RoleItem | null) => {
    const error = alertBox('error');
    const editor = h('textarea', { class: 'yaml-editor', spellcheck: 'false', autocapitalize: 'none', 'aria-label': 'Role YAML', rows: 22, value: role?.content ?? template });
    const save = h('button', { type: 'submit', class: 'btn btn-primary' }, role ? 'Save Changes' : 'Create Role');
    const form = h('form', { class: 'editor-form' }, editor, error.el,
      h('div', { class: 'dialog-actions' }, h('button', { type: 'button', class: 'btn', onclick: () => close() }, 'Cancel'), save));
    const { dialog, close } = openDialog(role ? `Edit role ${role.name}` : 'Create a role', form);
    dialog.classList.add('dialog-wide');
    editor.addEventListener('keydown', event => {
      if (event.key === 'Tab' && !event.shiftKey) {
        event.preventDefault();
        editor.setRangeText('  ', editor.selectionStart, editor.selectionEnd, 'end');
      }
    });
    editor.focus();
    form.addEventListener('submit', event => {
      event.preventDefault();
      error.clear();
      void busy(save, async () => {
        try {
          if (role) {
            await put(`/v1/webapi/roles/${encodeURIComponent(role.name)}`, { content: editor.value });
          } else {
            await post('/v1/webapi/roles', { content: editor.value });
          }
          close();
          await load();
        } catch (e) {
          error.show(messageOf(e));
        }
      });
    });
  };
  add.addEventListener('click', () => edit(null));
  void load();
});

function description(yaml: string): string {
  return /^\s+description:\s*(.+)$/m.exec(yaml)?.[1]?.replace(/^['"]|['"]$/g, '') ?? '';
}
