// /web/account: change the password, enrol a new authenticator (TOTP), sign out of every session.

import { messageOf, post, put } from '../core/api';
import { alertBox, busy, field, formatTime, h } from '../core/dom';
import { framed } from '../core/layout';
import { navigate } from '../core/router';
import { signOut } from '../core/session';

export const accountPage = framed('account', frame => {
  frame.title('Account Settings');
  const ctx = frame.ctx;
  const needsCode = ctx.secondFactor !== undefined && ctx.secondFactor !== 'off';

  // Change password
  const pwError = alertBox('error');
  const pwDone = alertBox('success');
  const oldPassword = h('input', { type: 'password', autocomplete: 'current-password', required: true });
  const newPassword = h('input', { type: 'password', autocomplete: 'new-password', required: true });
  const confirm = h('input', { type: 'password', autocomplete: 'new-password', required: true });
  const pwCode = h('input', { inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 8 });
  const pwSave = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Change Password');
  const pwForm = h('form', { class: 'card' }, h('h2', null, 'Password'), pwError.el, pwDone.el,
    field('Current password', oldPassword), field('New password', newPassword), field('Confirm new password', confirm),
    needsCode ? field('Authenticator code', pwCode) : null, pwSave);
  pwForm.addEventListener('submit', event => {
    event.preventDefault();
    pwError.clear();
    pwDone.clear();
    if (newPassword.value !== confirm.value) {
      pwError.show('The new passwords differ.');
      return;
    }
    void busy(pwSave, async () => {
      try {
        await put('/v1/webapi/users/password', { old_password: oldPassword.value, new_password: newPassword.value, second_factor_token: pwCode.value.trim() });
        pwForm.reset();
        pwDone.show('Your password is changed.');
      } catch (e) {
        pwError.show(messageOf(e));
      }
    });
  });

  // Re-enrol TOTP
  const otpError = alertBox('error');
  const otpDone = alertBox('success');
  const begin = h('button', { type: 'button', class: 'btn' }, 'Enrol a new authenticator');
  const otpBody = h('div');
  const otpCard = h('div', { class: 'card' }, h('h2', null, 'Authenticator app'),
    h('p', { class: 'muted' }, 'Replace the authenticator that makes your sign-in codes, e.g. after changing phones.'),
    otpError.el, otpDone.el, otpBody, begin);
  begin.addEventListener('click', () => void busy(begin, async () => {
    otpError.clear();
    otpDone.clear();
    try {
      const enrol = await post<{ secret: string; uri: string; qrCode?: string }>('/v1/webapi/mfa/totp/begin', {});
      const password = h('input', { type: 'password', autocomplete: 'current-password', required: true });
      const code = h('input', { inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 8, required: true });
      const save = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Replace authenticator');
      const form = h('form', { class: 'otp-enrol' },
        h('p', null, 'Scan the code with the new authenticator app, or type the secret into it.'),
        enrol.qrCode ? h('img', { class: 'qr', alt: 'QR code for the authenticator app', src: `data:image/png;base64,${enrol.qrCode}`, width: 180, height: 180 }) : null,
        h('code', { class: 'secret', 'data-testid': 'otp-secret' }, enrol.secret),
        h('p', { class: 'muted small' }, h('a', { href: enrol.uri }, 'Open in an authenticator app on this device')),
        field('Current password', password), field('Code from the new app', code), save);
      begin.hidden = true;
      otpBody.replaceChildren(form);
      form.addEventListener('submit', event => {
        event.preventDefault();
        otpError.clear();
        void busy(save, async () => {
          try {
            await put('/v1/webapi/mfa/totp', { password: password.value, secret: enrol.secret, code: code.value.trim() });
            otpBody.replaceChildren();
            begin.hidden = false;
            otpDone.show('Your new authenticator is enrolled; the old one no longer works.');
          } catch (e) {
            otpError.show(messageOf(e));
          }
        });
      });
    } catch (e) {
      otpError.show(messageOf(e));
    }
  }));

  // Sessions
  const everywhere = h('button', { type: 'button', class: 'btn btn-danger-outline' }, 'Sign out everywhere');
  everywhere.addEventListener('click', () => void busy(everywhere, async () => {
    try {
      await signOut(true);
    } finally {
      navigate('/web/login', true);
    }
  }));
  const sessionCard = h('div', { class: 'card' }, h('h2', null, 'Sessions'),
    h('dl', { class: 'facts' },
      h('dt', null, 'User'), h('dd', null, ctx.userName),
      h('dt', null, 'Roles'), h('dd', null, ctx.roles.join(', ')),
      h('dt', null, 'Logins'), h('dd', { class: 'mono' }, ctx.logins.join(', ') || 'none'),
      h('dt', null, 'This session ends'), h('dd', null, formatTime(ctx.sessionExpires))),
    everywhere);

  frame.content.append(h('div', { class: 'cards' }, pwForm, otpCard, sessionCard));
});
