// History-API routing over Teleport's /web routes. A route is a pattern with :params; its page mounts into a
// container and may return a cleanup that runs when the user navigates away.

export type Params = Record<string, string>;
export type Cleanup = () => void;
export type Page = (container: HTMLElement, params: Params, query: URLSearchParams) => void | Cleanup | Promise<void | Cleanup>;

interface Route {
  pattern: string;
  parts: string[];
  page: Page;
}

const routes: Route[] = [];
let cleanup: Cleanup | null = null;
let root: HTMLElement;
let fallback: Page;
let generation = 0;

export function route(pattern: string, page: Page): void {
  routes.push({ pattern, parts: pattern.split('/').filter(p => p.length > 0), page });
}

export function start(container: HTMLElement, notFound: Page): void {
  root = container;
  fallback = notFound;
  window.addEventListener('popstate', () => void render());
  // Same-origin links to /web navigate in place; modified clicks (new tab) are left to the browser.
  document.addEventListener('click', event => {
    const link = (event.target as Element | null)?.closest?.('a');
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    if (link.target && link.target !== '_self') {
      return;
    }
    const url = new URL(link.href, location.href);
    if (url.origin === location.origin && (url.pathname === '/' || url.pathname.startsWith('/web')) && !link.hasAttribute('download')) {
      event.preventDefault();
      navigate(url.pathname + url.search);
    }
  });
  void render();
}

export function navigate(path: string, replace = false): void {
  if (replace) {
    history.replaceState(null, '', path);
  } else {
    history.pushState(null, '', path);
  }
  void render();
}

/** Updates the query string without re-rendering (filters that live in the URL). */
export function setQuery(query: URLSearchParams): void {
  const search = query.toString();
  history.replaceState(null, '', location.pathname + (search ? `?${search}` : ''));
}

function match(path: string): { page: Page; params: Params } {
  const parts = path.split('/').filter(p => p.length > 0);
  for (const candidate of routes) {
    if (candidate.parts.length !== parts.length) {
      continue;
    }
    const params: Params = {};
    let ok = true;
    for (let i = 0; i < parts.length && ok; i++) {
      const expected = candidate.parts[i];
      if (expected.startsWith(':')) {
        try {
          params[expected.slice(1)] = decodeURIComponent(parts[i]);
        } catch {
          ok = false;
        }
      } else {
        ok = expected === parts[i];
      }
    }
    if (ok) {
      return { page: candidate.page, params };
    }
  }
  return { page: fallback, params: {} };
}

async function render(): Promise<void> {
  const current = ++generation;
  if (cleanup) {
    const previous = cleanup;
    cleanup = null;
    try {
      previous();
    } catch {
      // A page's cleanup failing must not stop the next page.
    }
  }
  const { page, params } = match(location.pathname);
  const container = document.createElement('div');
  container.className = 'page-root';
  root.replaceChildren(container);
  window.scrollTo(0, 0);
  const result = await page(container, params, new URLSearchParams(location.search));
  if (typeof result === 'function') {
    if (current === generation) {
      cleanup = result;
    } else {
      result();
    }
  }
}
