// The signed-in user's context (GET /v1/webapi/sites/:site/context), loaded once per page load and after sign-in.

import { bearerToken, del, get, setBearerToken } from './api';
import type { UserContext } from './types';

let current: UserContext | null = null;
let loading: Promise<UserContext> | null = null;

export function signedIn(): boolean {
  return bearerToken() !== null;
}

export function context(): UserContext | null {
  return current;
}

/** The user's context; the cluster is the first one the proxy lists (one cluster per proxy here). */
export function loadContext(force = false): Promise<UserContext> {
  if (current && !force) {
    return Promise.resolve(current);
  }
  if (!loading || force) {
    loading = (async () => {
      const sites = await get<{ name: string }[]>('/v1/webapi/sites');
      const site = sites[0]?.name;
      if (!site) {
        throw new Error('The proxy lists no cluster.');
      }
      current = await get<UserContext>(`/v1/webapi/sites/${encodeURIComponent(site)}/context`);
      return current;
    })();
    loading.catch(() => (loading = null));
  }
  return loading;
}

export function forget(): void {
  current = null;
  loading = null;
  setBearerToken(null);
}

export async function signOut(everywhere: boolean): Promise<void> {
  try {
    await del(everywhere ? '/v1/webapi/sessions/web/all' : '/v1/webapi/sessions/web');
  } finally {
    forget();
  }
}
