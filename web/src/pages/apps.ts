// /web/cluster/:cluster/apps: the applications the user's roles reach (app_labels), each with a "Launch" button
// that opens it in a new tab through the launcher (/web/launch/...), which signs the browser into the app.

import { get, messageOf } from '../core/api';
import { h, replace, spinner } from '../core/dom';
import { framed } from '../core/layout';
import { setQuery } from '../core/router';
import type { AppItem } from '../core/types';

/** The launcher route for an app, as Teleport's: /web/launch/:fqdn/:clusterId/:publicAddr. */
export const launchPath = (app: AppItem) =>
  `/web/launch/${encodeURIComponent(app.fqdn)}/${encodeURIComponent(app.clusterId)}/${encodeURIComponent(app.publicAddr)}`;

export const appsPage = framed('apps', (frame, _params, query) => {
  frame.title('Applications');
  let search = query.get('search') ?? '';
  let apps: AppItem[] = [];
  const searchInput = h('input', { type: 'search', class: 'search', placeholder: 'Search by name, description or label', value: search, 'aria-label': 'Search' });
  const table = h('div', { class: 'table-wrap' }, spinner());
  const summary = h('span', { class: 'muted' });
  frame.content.append(h('div', { class: 'toolbar' }, searchInput), table, h('div', { class: 'pager' }, summary));

  const matches = (app: AppItem) => {
    const needle = search.toLowerCase();
    return needle.length === 0
      || app.name.toLowerCase().includes(needle)
      || (app.description ?? '').toLowerCase().includes(needle)
      || app.publicAddr.toLowerCase().includes(needle)
      || (app.labels ?? []).some(l => `${l.name}: ${l.value}`.toLowerCase().includes(needle));
  };
  const render = () => {
    const shown = apps.filter(matches);
    summary.textContent = `${shown.length} of ${apps.length}`;
    if (shown.length === 0) {
      replace(table, h('div', { class: 'empty' }, apps.length > 0
        ? 'No application matches this search.'
        : 'No applications you can reach. Register one in app_service.apps of a teleport process.'));
      return;
    }
    replace(table, h('table', { class: 'table' },
      h('thead', null, h('tr', null, h('th', null, 'Name'), h('th', { class: 'hide-sm' }, 'Address'), h('th', null, 'Labels'), h('th', { class: 'actions' }, ''))),
      h('tbody', null, shown.map(app => h('tr', { 'data-app': app.name },
        h('td', { class: 'strong' }, app.name, app.description ? h('div', { class: 'muted small' }, app.description) : null),
        h('td', { class: 'mono hide-sm' }, app.url),
        h('td', null, h('div', { class: 'chips' }, (app.labels ?? []).map(l => h('span', { class: 'chip' }, `${l.name}: ${l.value}`)))),
        h('td', { class: 'actions' },
          h('a', { class: 'btn btn-small btn-primary', href: launchPath(app), target: '_blank', rel: 'noopener', 'aria-label': `Launch ${app.name}` }, 'Launch')))))));
  };

  let debounce = 0;
  searchInput.addEventListener('input', () => {
    clearTimeout(debounce);
    debounce = window.setTimeout(() => {
      search = searchInput.value.trim();
      const q = new URLSearchParams();
      if (search) q.set('search', search);
      setQuery(q);
      render();
    }, 150);
  });

  const controller = new AbortController();
  void (async () => {
    try {
      apps = (await get<{ items: AppItem[] }>(`/v1/webapi/sites/${encodeURIComponent(frame.site)}/apps`, { signal: controller.signal })).items ?? [];
      render();
    } catch (error) {
      if (!(error instanceof DOMException && error.name === 'AbortError')) {
        replace(table, h('div', { class: 'alert alert-error', role: 'alert' }, messageOf(error)));
      }
    }
  })();
  return () => {
    clearTimeout(debounce);
    controller.abort();
  };
});
