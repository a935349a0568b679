// /web/cluster/:cluster/console/node/:serverId/:login (a new session) and /web/cluster/:cluster/console/session/:sid
// (join an active one, ?mode=observer): xterm.js over the web terminal WebSocket, resized with the window.
// Copy: select text (or Ctrl+Shift+C); paste: Ctrl+Shift+V, the browser's paste, or the Paste button.

import { h } from '../core/dom';
import { clusterPath, requireSignIn } from '../core/layout';
import type { Page } from '../core/router';
import { WebTerminal } from '../terminal/webTerminal';
import { createTerminal } from '../terminal/xterm';

export const consolePage: Page = (container, params, query) => {
  if (!requireSignIn()) {
    return;
  }
  const site = params.cluster;
  const joining = params.sid !== undefined;
  const mode = joining ? (query.get('mode') ?? 'observer') : '';
  const login = params.login ?? query.get('login') ?? '';
  const target = params.serverId ?? query.get('server_id') ?? '';
  const title = joining ? `Session ${params.sid.slice(0, 8)} (${mode})` : `${login}@${target}`;
  document.title = `${title} · Teleport`;

  const status = h('span', { class: 'term-status connecting', 'data-testid': 'terminal-status' }, 'Connecting…');
  const latency = h('span', { class: 'term-latency muted' });
  const name = h('span', { class: 'term-title' }, title);
  const copy = h('button', { type: 'button', class: 'btn btn-small btn-dark', title: 'Copy the selection (Ctrl+Shift+C)' }, 'Copy');
  const paste = h('button', { type: 'button', class: 'btn btn-small btn-dark', title: 'Paste (Ctrl+Shift+V)', hidden: mode === 'observer' }, 'Paste');
  const disconnect = h('button', { type: 'button', class: 'btn btn-small btn-danger' }, joining ? 'Leave' : 'Disconnect');
  const screen = h('div', { class: 'term-screen' });
  const banner = h('div', { class: 'term-banner', hidden: true, role: 'status', 'data-testid': 'session-ended' });
  const frame = h('div', { class: 'console' },
    h('header', { class: 'console-bar' },
      h('a', { class: 'btn btn-small btn-dark', href: clusterPath(site, joining ? 'sessions' : 'resources') }, '← Back'),
      name, status, h('span', { class: 'spacer' }), latency, copy, paste, disconnect),
    h('div', { class: 'term-wrap' }, screen, banner));
  container.replaceChildren(frame);

  const { term, fit } = createTerminal({ disableStdin: mode === 'observer' });
  term.open(screen);
  fit.fit();

  const copySelection = () => {
    const text = term.getSelection();
    if (text) {
      void navigator.clipboard?.writeText(text).catch(() => undefined);
    }
  };
  const pasteClipboard = async () => {
    try {
      const text = await navigator.clipboard.readText();
      if (text) {
        term.paste(text);
      }
    } catch {
      term.focus();
    }
  };
  term.attachCustomKeyEventHandler(event => {
    if (event.type === 'keydown' && event.ctrlKey && event.shiftKey && (event.key === 'C' || event.key === 'c')) {
      copySelection();
      return false;
    }
    if (event.type === 'keydown' && event.ctrlKey && event.shiftKey && (event.key === 'V' || event.key === 'v')) {
      void pasteClipboard();
      return false;
    }
    return true;
  });
  copy.addEventListener('click', () => {
    copySelection();
    term.focus();
  });
  paste.addEventListener('click', () => void pasteClipboard());

  const session = new WebTerminal(site, {
    server_id: target,
    login,
    term: { w: term.cols, h: term.rows },
    ...(joining ? { sid: params.sid, mode } : {}),
  }, {
    ready() {
      status.textContent = joining ? `Joined as ${mode}` : 'Connected';
      status.className = 'term-status connected';
      session.resize(term.cols, term.rows);
      term.focus();
    },
    data(text) {
      term.write(text);
    },
    metadata(meta) {
      if (meta.id) {
        frame.dataset.sessionId = meta.id;
      }
      if (!joining && meta.server_hostname) {
        name.textContent = `${meta.login ?? login}@${meta.server_hostname}`;
        document.title = `${name.textContent} · Teleport`;
      }
    },
    latency(ws, ssh) {
      latency.textContent = `latency ${Math.round(ws + ssh)} ms`;
    },
    closed(reason, failed) {
      status.textContent = failed ? 'Failed' : 'Session ended';
      status.className = failed ? 'term-status failed' : 'term-status ended';
      banner.replaceChildren(
        h('strong', null, failed ? 'The session could not continue' : 'Session ended'),
        h('p', null, reason),
        h('div', { class: 'banner-actions' },
          h('a', { class: 'btn btn-primary', href: clusterPath(site, joining ? 'sessions' : 'resources') }, joining ? 'Back to active sessions' : 'Back to servers'),
          joining ? null : h('button', { type: 'button', class: 'btn', onclick: () => location.reload() }, 'Reconnect')));
      banner.hidden = false;
      disconnect.disabled = true;
      term.options.disableStdin = true;
      term.options.cursorBlink = false;
    },
  });

  const input = term.onData(data => session.send(data));
  const resized = term.onResize(size => session.resize(size.cols, size.rows));
  const observer = new ResizeObserver(() => {
    try {
      fit.fit();
    } catch {
      // the element is gone
    }
  });
  observer.observe(screen);
  disconnect.addEventListener('click', () => session.close());
  const beforeUnload = () => session.close();
  window.addEventListener('beforeunload', beforeUnload);

  return () => {
    window.removeEventListener('beforeunload', beforeUnload);
    observer.disconnect();
    input.dispose();
    resized.dispose();
    session.close();
    term.dispose();
  };
};
