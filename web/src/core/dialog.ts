// A modal dialog on the native <dialog> element (focus trapping and Escape come with it).

import { h, type Child } from './dom';

export function openDialog(title: string, ...body: Child[]): { dialog: HTMLDialogElement; close(): void } {
  const dialog = h('dialog', { class: 'dialog' },
    h('header', { class: 'dialog-header' }, h('h2', null, title), h('button', { type: 'button', class: 'dialog-x', 'aria-label': 'Close', onclick: () => dialog.close() }, '×')),
    h('div', { class: 'dialog-body' }, body));
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  return { dialog, close: () => dialog.close() };
}

export function confirmDialog(title: string, text: string, action: string, run: () => Promise<void>): void {
  const error = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
  const go = h('button', { type: 'button', class: 'btn btn-danger' }, action);
  const { close } = openDialog(title, h('p', null, text), error,
    h('div', { class: 'dialog-actions' }, h('button', { type: 'button', class: 'btn', onclick: () => close() }, 'Cancel'), go));
  go.addEventListener('click', async () => {
    go.disabled = true;
    try {
      await run();
      close();
    } catch (e) {
      error.textContent = e instanceof Error ? e.message : String(e);
      error.hidden = false;
      go.disabled = false;
    }
  });
}
