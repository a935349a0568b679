// The JSON client of the proxy's web API (docs/webapi.md). Every call sends the bearer token of the web session
// with the session cookie the browser holds: the pair is the CSRF defence. A 401 on an authenticated call means
// the session ended, so the app goes to the login page.

const tokenKey = 'teleport.bearer';

export class ApiError extends Error {
  constructor(message: string, readonly status: number, readonly body: unknown) {
    super(message);
  }
}

export function bearerToken(): string | null {
  return localStorage.getItem(tokenKey);
}

export function setBearerToken(token: string | null): void {
  if (token) {
    localStorage.setItem(tokenKey, token);
  } else {
    localStorage.removeItem(tokenKey);
  }
}

let unauthorized: () => void = () => {};

/** What the app does when a call answers 401 (the session expired or was ended elsewhere). */
export function onUnauthorized(handler: () => void): void {
  unauthorized = handler;
}

export interface CallOptions {
  /** Don't treat 401 as "session ended" (the login call answers 401 for wrong credentials). */
  anonymous?: boolean;
  signal?: AbortSignal;
}

export async function api<T>(method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = bearerToken();
  if (token && !options.anonymous) {
    headers.Authorization = `Bearer ${token}`;
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') {
      throw error;
    }
    throw new ApiError('The proxy could not be reached. Check the connection and try again.', 0, null);
  }
  const text = await response.text();
  let data: unknown = null;
  if (text.length > 0) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (!response.ok) {
    if (response.status === 401 && !options.anonymous) {
      unauthorized();
    }
    throw new ApiError(errorMessage(data, response), response.status, data);
  }
  return data as T;
}

function errorMessage(data: unknown, response: Response): string {
  if (data && typeof data === 'object') {
    const error = (data as { error?: { message?: unknown }; message?: unknown }).error;
    if (error && typeof error.message === 'string' && error.message.length > 0) {
      return error.message;
    }
    const message = (data as { message?: unknown }).message;
    if (typeof message === 'string' && message.length > 0) {
      return message;
    }
  }
  if (response.status === 503 || response.status === 502) {
    return 'The auth service is unreachable right now. Try again in a moment.';
  }
  return `The request failed (${response.status} ${response.statusText}).`;
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  return String(error);
}

export const get = <T>(path: string, options?: CallOptions) => api<T>('GET', path, undefined, options);
export const post = <T>(path: string, body: unknown = {}, options?: CallOptions) => api<T>('POST', path, body, options);
export const put = <T>(path: string, body: unknown = {}, options?: CallOptions) => api<T>('PUT', path, body, options);
export const del = <T>(path: string, options?: CallOptions) => api<T>('DELETE', path, undefined, options);

/** Encodes a path segment. */
export const seg = (value: string) => encodeURIComponent(value);
