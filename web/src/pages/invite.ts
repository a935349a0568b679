// /web/invite/:token and /web/reset/:token: the link tctl users add (or reset) prints. Sets the password and enrols
// TOTP from the QR code the proxy renders (the secret is shown as text too).

import { get, messageOf, put } from '../core/api';
import { icon } from '../core/icons';
import { alertBox, busy, field, formatTime, h } from '../core/dom';
import type { Page } from '../core/router';

interface TokenDetails {
  tokenId: string;
  user: string;
  kind: string;
  expiry: string;
  otp_uri: string;
  qrCode: string;
}

export const invitePage = (kind: 'invite' | 'reset'): Page => async (container, params) => {
  document.title = kind === 'invite' ? 'Welcome · Teleport' : 'Reset password · Teleport';
  const card = h('div', { class: 'auth-card' }, h('div', { class: 'auth-logo' }, icon('logo', 28)));
  container.replaceChildren(h('div', { class: 'auth-page' }, card));
  let details: TokenDetails;
  try {
    details = await get<TokenDetails>(`/v1/webapi/users/password/token/${encodeURIComponent(params.token)}`, { anonymous: true });
  } catch (error) {
    card.append(h('h1', null, 'This link is not valid'), h('div', { class: 'alert alert-error', role: 'alert' }, messageOf(error)),
      h('p', { class: 'muted' }, 'Ask an administrator for a new invite or reset link.'));
    return;
  }

  const error = alertBox('error');
  const password = h('input', { type: 'password', autocomplete: 'new-password', required: true, minlength: 6 });
  const confirm = h('input', { type: 'password', autocomplete: 'new-password', required: true });
  const code = h('input', { inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 8 });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, kind === 'invite' ? 'Create account' : 'Set new password');
  const secret = secretOf(details.otp_uri);
  const otp = details.otp_uri
    ? h('div', { class: 'otp-enrol' },
      h('p', null, 'Scan this QR code with an authenticator app (Google Authenticator, Authy, 1Password…), then enter the code it shows.'),
      details.qrCode ? h('img', { class: 'qr', alt: 'QR code for the authenticator app', src: `data:image/png;base64,${details.qrCode}`, width: 180, height: 180 }) : null,
      h('p', { class: 'muted' }, 'Or type this secret into the app by hand:'),
      h('code', { class: 'secret', 'data-testid': 'otp-secret' }, secret),
      field('Authenticator code', code))
    : null;
  const form = h('form', { novalidate: true },
    error.el,
    field('Password', password, 'At least 6 characters.'),
    field('Confirm password', confirm),
    otp,
    submit);
  card.append(
    h('h1', null, kind === 'invite' ? `Welcome, ${details.user}` : `Reset the password of ${details.user}`),
    h('p', { class: 'auth-sub' }, `This link expires ${formatTime(details.expiry)}.`),
    form);
  password.focus();

  form.addEventListener('submit', event => {
    event.preventDefault();
    error.clear();
    if (password.value.length === 0) {
      error.show('Enter a password.');
      return;
    }
    if (password.value !== confirm.value) {
      error.show('The two passwords differ.');
      return;
    }
    if (otp && code.value.trim().length === 0) {
      error.show('Enter the code from your authenticator app.');
      return;
    }
    void busy(submit, async () => {
      try {
        await put('/v1/webapi/users/password/token', { token: params.token, password: password.value, second_factor_token: code.value.replace(/\s+/g, '') }, { anonymous: true });
        card.replaceChildren(
          h('div', { class: 'auth-logo', 'aria-hidden': 'true' }, '✔'),
          h('h1', null, 'Your account is ready'),
          h('p', null, `The password of ${details.user} is set${otp ? ' and your authenticator is enrolled' : ''}.`),
          h('a', { class: 'btn btn-primary btn-block', href: `/web/login?username=${encodeURIComponent(details.user)}` }, 'Go to Sign In'),
          h('p', { class: 'muted' }, 'From a terminal: ', h('code', null, `tsh login --user=${details.user}`)));
      } catch (e) {
        error.show(messageOf(e));
      }
    });
  });
};

function secretOf(uri: string): string {
  try {
    return new URL(uri).searchParams.get('secret') ?? '';
  } catch {
    return /secret=([A-Z2-7]+)/i.exec(uri)?.[1] ?? '';
  }
}
