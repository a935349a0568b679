// /web/cluster/:cluster/resources: the servers the user may reach, paged by the proxy (search, label filter and
// sort run server-side, so 10,000 nodes cost one page of rows). Filters live in the URL so a view can be bookmarked.

import { get, messageOf } from '../core/api';
import { h, replace, spinner } from '../core/dom';
import { clusterPath, framed } from '../core/layout';
import { setQuery } from '../core/router';
import type { NodeItem, ResourcePage } from '../core/types';

const pageSize = 25;

export const resourcesPage = framed('resources', (frame, _params, query) => {
  frame.title('Servers');
  let search = query.get('search') ?? '';
  let labels = (query.get('labels') ?? '').split(',').filter(l => l.includes('='));
  let sort = query.get('sort') ?? 'hostname:asc';
  const keys: string[] = ['']; // start keys of the pages seen so far
  let pageIndex = 0;
  let controller: AbortController | null = null;
  let debounce = 0;

  const searchInput = h('input', { type: 'search', class: 'search', placeholder: 'Search by hostname, address or label', value: search, 'aria-label': 'Search' });
  const chips = h('div', { class: 'chips', 'aria-label': 'Label filters' });
  const labelInput = h('input', { class: 'label-input', placeholder: 'key=value', 'aria-label': 'Label filter' });
  const labelForm = h('form', { class: 'label-form' }, labelInput, h('button', { type: 'submit', class: 'btn btn-small' }, 'Add label filter'));
  const table = h('div', { class: 'table-wrap' });
  const summary = h('span', { class: 'muted' });
  const prev = h('button', { type: 'button', class: 'btn btn-small', 'aria-label': 'Previous page' }, '‹ Previous');
  const next = h('button', { type: 'button', class: 'btn btn-small', 'aria-label': 'Next page' }, 'Next ›');
  frame.content.append(
    h('div', { class: 'toolbar' }, searchInput, labelForm),
    chips,
    table,
    h('div', { class: 'pager' }, summary, h('span', { class: 'spacer' }), prev, next));

  const syncUrl = () => {
    const q = new URLSearchParams();
    if (search) q.set('search', search);
    if (labels.length) q.set('labels', labels.join(','));
    if (sort !== 'hostname:asc') q.set('sort', sort);
    setQuery(q);
  };
  const restart = () => {
    keys.length = 1;
    pageIndex = 0;
    syncUrl();
    void load();
  };
  const renderChips = () => {
    replace(chips, labels.map(label => h('span', { class: 'chip chip-filter' }, label,
      h('button', { type: 'button', class: 'chip-x', 'aria-label': `Remove filter ${label}`, onclick: () => { labels = labels.filter(l => l !== label); renderChips(); restart(); } }, '×'))));
  };
  const addLabel = (label: string) => {
    if (label.includes('=') && !labels.includes(label)) {
      labels = [...labels, label];
      renderChips();
      restart();
    }
  };
  const sortHeader = (key: string, label: string, cls?: string) => {
    const [field, dir] = sort.split(':');
    const active = field === key;
    const arrow = active ? (dir === 'asc' ? ' ▲' : ' ▼') : '';
    return h('th', { class: cls, 'aria-sort': active ? (dir === 'asc' ? 'ascending' : 'descending') : 'none' },
      h('button', { type: 'button', class: 'th-sort', onclick: () => { sort = `${key}:${active && dir === 'asc' ? 'desc' : 'asc'}`; restart(); } }, label + arrow));
  };
  const connect = (node: NodeItem) => {
    const logins = node.sshLogins ?? [];
    if (logins.length === 0) {
      return h('span', { class: 'muted', title: 'None of your roles allows a login on this server' }, 'No logins');
    }
    return h('details', { class: 'dropdown' },
      h('summary', { class: 'btn btn-small btn-primary' }, 'Connect ▾'),
      h('div', { class: 'menu', role: 'menu' },
        h('div', { class: 'menu-note' }, 'Log in as'),
        logins.map(login => h('a', { role: 'menuitem', href: clusterPath(frame.site, `console/node/${encodeURIComponent(node.id)}/${encodeURIComponent(login)}`) }, login))));
  };
  const render = (page: ResourcePage) => {
    if (page.items.length === 0) {
      replace(table, h('div', { class: 'empty' }, search || labels.length ? 'No server matches these filters.' : 'No servers yet. Add one with tctl tokens add --type=node.'));
    } else {
      replace(table, h('table', { class: 'table' },
        h('thead', null, h('tr', null, sortHeader('hostname', 'Hostname'), sortHeader('addr', 'Address', 'hide-sm'), h('th', null, 'Labels'), h('th', { class: 'actions' }, ''))),
        h('tbody', null, page.items.map(node => h('tr', { 'data-node': node.hostname },
          h('td', { class: 'strong' }, node.hostname, h('div', { class: 'show-sm muted small mono' }, node.tunnel ? 'reverse tunnel' : node.addr)),
          h('td', { class: 'mono hide-sm' }, node.tunnel ? '⟷ reverse tunnel' : node.addr),
          h('td', null, h('div', { class: 'chips' }, (node.labels ?? []).map(l => h('button', { type: 'button', class: 'chip', title: 'Filter by this label', onclick: () => addLabel(`${l.name}=${l.value}`) }, `${l.name}: ${l.value}`)))),
          h('td', { class: 'actions' }, connect(node)))))));
    }
    const first = pageIndex * pageSize + 1;
    summary.textContent = page.items.length === 0 ? `0 of ${page.totalCount}` : `Showing ${first}–${first + page.items.length - 1} of ${page.totalCount}`;
    prev.disabled = pageIndex === 0;
    next.disabled = !page.startKey;
    if (page.startKey) {
      keys[pageIndex + 1] = page.startKey;
    }
  };
  const load = async () => {
    controller?.abort();
    controller = new AbortController();
    const q = new URLSearchParams({ kinds: 'node', limit: String(pageSize), sort });
    if (search) q.set('search', search);
    if (labels.length) q.set('labels', labels.join(','));
    if (keys[pageIndex]) q.set('startKey', keys[pageIndex]);
    if (!table.firstChild) {
      table.append(spinner());
    }
    table.classList.add('stale');
    try {
      render(await get<ResourcePage>(`/v1/webapi/sites/${encodeURIComponent(frame.site)}/resources?${q}`, { signal: controller.signal }));
    } catch (error) {
      if (!(error instanceof DOMException && error.name === 'AbortError')) {
        replace(table, h('div', { class: 'alert alert-error', role: 'alert' }, messageOf(error)));
      }
    } finally {
      table.classList.remove('stale');
    }
  };

  searchInput.addEventListener('input', () => {
    clearTimeout(debounce);
    debounce = window.setTimeout(() => {
      search = searchInput.value.trim();
      restart();
    }, 250);
  });
  labelForm.addEventListener('submit', event => {
    event.preventDefault();
    addLabel(labelInput.value.trim().replace(/\s*[:=]\s*/, '='));
    labelInput.value = '';
  });
  prev.addEventListener('click', () => { pageIndex = Math.max(0, pageIndex - 1); void load(); });
  next.addEventListener('click', () => { pageIndex++; void load(); });
  renderChips();
  void load();
  return () => {
    clearTimeout(debounce);
    controller?.abort();
  };
});
