// /web/login: Username, Password and, when the cluster asks for a second factor, Authenticator code.

import { ApiError, get, messageOf, post, setBearerToken } from '../core/api';
import { icon } from '../core/icons';
import { alertBox, busy, field, formatTime, h } from '../core/dom';
import { navigate, type Page } from '../core/router';
import { forget, loadContext } from '../core/session';
import type { Ping, WebSessionResponse } from '../core/types';

export const loginPage: Page = async (container, _params, query) => {
  document.title = 'Sign In · Teleport';
  const error = alertBox('error');
  const user = h('input', { name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false', value: query.get('username') ?? '' });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const code = h('input', { name: 'otp', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9 ]*', maxlength: 8 });
  const codeField = field('Authenticator code', code, 'The 6-digit code from your authenticator app.');
  codeField.hidden = true;
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, 'Sign In');
  const clusterName = h('div', { class: 'auth-sub' });
  const form = h('form', { class: 'auth-card', novalidate: true },
    h('div', { class: 'auth-logo' }, icon('logo', 28)),
    h('h1', null, 'Sign in to Teleport'),
    clusterName,
    error.el,
    field('Username', user),
    field('Password', password),
    codeField,
    submit);
  container.replaceChildren(h('div', { class: 'auth-page' }, form));
  user.focus();

  let secondFactor = 'otp';
  try {
    const ping = await get<Ping>('/v1/webapi/ping', { anonymous: true });
    secondFactor = ping.auth?.second_factor ?? 'off';
    clusterName.textContent = ping.cluster_name ? `Cluster ${ping.cluster_name}` : '';
  } catch (e) {
    error.show(messageOf(e));
  }
  const needsCode = secondFactor === 'otp' || secondFactor === 'on' || secondFactor === 'optional';
  codeField.hidden = !needsCode;
  code.required = secondFactor === 'otp' || secondFactor === 'on';

  form.addEventListener('submit', event => {
    event.preventDefault();
    error.clear();
    const missing = !user.value.trim() ? 'Enter your username.' : !password.value ? 'Enter your password.' : code.required && !code.value.trim() ? 'Enter the code from your authenticator app.' : '';
    if (missing) {
      error.show(missing);
      return;
    }
    void busy(submit, async () => {
      try {
        forget();
        const session = await post<WebSessionResponse>('/v1/webapi/sessions/web', {
          user: user.value.trim(),
          pass: password.value,
          second_factor_token: code.value.replace(/\s+/g, ''),
        }, { anonymous: true });
        setBearerToken(session.token);
        const ctx = await loadContext(true);
        const target = query.get('redirect_uri');
        navigate(target && target.startsWith('/web/') && !target.startsWith('/web/login') ? target : `/web/cluster/${encodeURIComponent(ctx.cluster.name)}/resources`, true);
      } catch (e) {
        forget();
        error.show(loginError(e));
        password.value = '';
        code.value = '';
        password.focus();
      }
    });
  });
};

function loginError(error: unknown): string {
  if (error instanceof ApiError) {
    const body = error.body as { error?: { locked_until?: string } } | null;
    const until = body?.error?.locked_until;
    if (error.status === 403 && until) {
      return `This account is locked after too many failed sign-in attempts. It unlocks at ${formatTime(until)}.`;
    }
    if (error.status === 401) {
      return error.message.toLowerCase().includes('invalid') || error.message.length === 0
        ? 'Invalid credentials: check the username, password and authenticator code.'
        : error.message;
    }
    if (error.status === 429) {
      return 'Too many sign-in attempts. Wait a minute and try again.';
    }
  }
  return messageOf(error);
}
