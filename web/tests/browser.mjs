// Drives Debian's Chromium with playwright-core through one scenario of the web UI, for the C# browser tests
// (tests/Integration.Tests/WebUi), which start the cluster and check the effects on the host.
//   WEBUI_SCENARIO=<name> WEBUI_ARGS='<json>' node browser.mjs
// Prints one JSON line with what the scenario read; on failure one sentence on stderr and exit code 1.
// WEBUI_SCREENSHOTS=<dir> also saves a PNG of each page a scenario visits (docs/screenshots).
import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const scenario = process.env.WEBUI_SCENARIO ?? '';
const args = JSON.parse(process.env.WEBUI_ARGS ?? '{}');
const shots = process.env.WEBUI_SCREENSHOTS ?? '';
const timeout = 20_000;

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) of a base32 secret, `offset` steps from now. */
export function totp(secret, offset = 0) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '').toUpperCase()) {
    bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  }
  const key = Buffer.from(bits.match(/.{8}/g).map(b => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30) + offset));
  const mac = createHmac('sha1', key).update(counter).digest();
  const at = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(at) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

class Failure extends Error {}
const fail = message => { throw new Failure(message); };

async function shot(page, name) {
  if (shots) {
    mkdirSync(shots, { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(300); // let fonts and the terminal settle for the picture only
    await page.screenshot({ path: join(shots, `${args.shotPrefix ?? ''}${name}.png`), fullPage: true });
  }
}

async function signIn(page, user, password, code, picture) {
  await page.goto(`${args.url}/web/login`);
  await page.getByLabel('Username').fill(user);
  await page.getByLabel('Password').fill(password);
  if (code !== undefined) {
    await page.getByLabel('Authenticator code').fill(code);
  }
  if (picture) {
    await shot(page, picture);
  }
  await page.getByRole('button', { name: 'Sign In' }).click();
}

async function terminalText(page, selector = '.term-screen') {
  return page.locator(`${selector} .xterm-rows`).innerText();
}

async function waitForText(page, selector, text, what) {
  try {
    await page.waitForFunction(([s, t]) => (document.querySelector(s)?.textContent ?? '').includes(t), [selector, text], { timeout });
  } catch {
    fail(`${what}: "${text}" did not appear`);
  }
}

const scenarios = {
  /** Signs in through the login form (args.code, or a TOTP of args.secret one step ahead). */
  async signin(page) {
    await signIn(page, args.user, args.password, args.code ?? (args.secret ? totp(args.secret, 1) : undefined), 'login');
    await page.waitForURL(/\/resources/, { timeout });
    return { url: page.url() };
  },

  /** Opens the invite link, reads the secret, sets the password, then signs in with the next code. */
  async invite(page) {
    await page.goto(args.inviteUrl);
    const secret = (await page.getByTestId('otp-secret').innerText()).trim();
    if (!/^[A-Z2-7]+$/.test(secret)) fail(`the invite page shows no TOTP secret (got "${secret}")`);
    if (!(await page.locator('img.qr').isVisible())) fail('the invite page shows no QR code');
    await page.getByLabel('Password', { exact: true }).fill(args.password);
    await page.getByLabel('Confirm password').fill(args.password);
    await page.getByLabel('Authenticator code').fill(totp(secret));
    await shot(page, 'invite');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Your account is ready').waitFor({ timeout });
    await page.getByRole('link', { name: 'Go to Sign In' }).click();
    await page.getByLabel('Username').waitFor({ timeout });
    if ((await page.getByLabel('Username').inputValue()) !== args.user) fail('the login page is not filled with the new user');
    // A wrong password first: the message must say so.
    await signIn(page, args.user, 'not the password', totp(secret, 1));
    const error = page.getByRole('alert');
    await error.waitFor({ timeout });
    const message = await error.innerText();
    await shot(page, 'login-error');
    await signIn(page, args.user, args.password, totp(secret, 1));
    await page.waitForURL(/\/web\/cluster\/[^/]+\/resources/, { timeout });
    await page.locator('tr[data-node]').first().waitFor({ timeout });
    return { secret, wrongPasswordMessage: message, nodes: await page.locator('tr[data-node]').count() };
  },

  /** The resources page lists the node; search and label filter narrow it. */
  async resources(page) {
    await page.goto(`${args.url}/web`);
    await page.waitForURL(/\/resources/, { timeout });
    await page.locator(`tr[data-node="${args.hostname}"]`).waitFor({ timeout });
    const row = page.locator(`tr[data-node="${args.hostname}"]`);
    const labels = await row.locator('.chip').allInnerTexts();
    await shot(page, 'resources');
    await page.getByLabel('Search').fill('no-such-host-anywhere');
    await page.getByText('No server matches these filters.').waitFor({ timeout });
    await page.getByLabel('Search').fill('');
    await row.waitFor({ timeout });
    await row.locator('.chip').first().click();
    await page.locator('.chip-filter').first().waitFor({ timeout });
    await row.waitFor({ timeout });
    return { labels, url: page.url() };
  },

  /** Connect from the resources page, run a command, exit; returns the session id. */
  async terminal(page) {
    await page.goto(`${args.url}/web`);
    const row = page.locator(`tr[data-node="${args.hostname}"]`);
    await row.waitFor({ timeout });
    await row.getByText('Connect').click();
    await row.getByRole('menuitem', { name: args.login, exact: true }).click();
    await page.waitForURL(/\/console\/node\//, { timeout });
    await waitForText(page, '[data-testid=terminal-status]', 'Connected', 'the terminal did not connect');
    await page.locator('.term-screen .xterm-helper-textarea').focus();
    await page.keyboard.type(`${args.command}\n`, { delay: 5 });
    await waitForText(page, '.term-screen .xterm-rows', args.expect, 'the command output');
    await page.locator('.console[data-session-id]').waitFor({ timeout }).catch(() => undefined);
    const sid = await page.locator('.console').getAttribute('data-session-id');
    await shot(page, 'terminal');
    if (args.exit !== false) {
      await page.keyboard.type('exit\n', { delay: 5 });
      await page.getByTestId('session-ended').waitFor({ timeout });
    }
    return { sid: sid ?? '', ended: await page.getByTestId('session-ended').innerText().catch(() => '') };
  },

  /** Plays a recording from the recordings list and reads the player's screen. */
  async play(page) {
    await page.goto(`${args.url}/web/cluster/${args.cluster}/recordings`);
    const row = page.locator(`tr[data-session="${args.sid}"]`);
    await row.waitFor({ timeout });
    const cells = await row.locator('td').allInnerTexts();
    await shot(page, 'recordings');
    await row.getByRole('link', { name: /Play/ }).click();
    await page.locator('.player').waitFor({ timeout });
    await page.getByLabel('Speed').selectOption('16');
    await page.getByRole('button', { name: 'Play' }).click();
    await waitForText(page, '.player-screen .xterm-rows', args.expect, 'the recording playback');
    await page.locator('.player.ended').waitFor({ timeout });
    await shot(page, 'player');
    // Seek back to the start: the screen is cleared and replayed up to there.
    await page.getByLabel('Position').fill('0');
    const clock = await page.getByTestId('player-clock').innerText();
    return { cells, clock };
  },

  /** Filters the audit log by user and event type and opens one event's details. */
  async audit(page) {
    await page.goto(`${args.url}/web/cluster/${args.cluster}/audit/events`);
    await page.getByLabel('Event type').fill(args.type);
    await page.getByLabel('User', { exact: true }).fill(args.user);
    await page.getByRole('button', { name: 'Apply' }).click();
    const row = page.locator(`tr[data-event="${args.type}"]`).first();
    await row.waitFor({ timeout });
    await row.getByRole('button', { name: 'Details' }).click();
    const details = await page.locator('.details-row:not([hidden]) pre').first().innerText();
    await shot(page, 'audit');
    return { rows: await page.locator('tr[data-event]').count(), details: JSON.parse(details) };
  },

  /** An editor creates a role: an invalid one first (the error shows), then a valid one. */
  async role(page) {
    await page.goto(`${args.url}/web/roles`);
    await page.getByRole('button', { name: 'Create New Role' }).click();
    const editor = page.getByLabel('Role YAML');
    await editor.fill(args.invalid);
    await page.getByRole('button', { name: 'Create Role' }).click();
    const error = page.locator('dialog .alert-error');
    await error.waitFor({ timeout });
    const invalidMessage = await error.innerText();
    await shot(page, 'role-editor-error');
    await editor.fill(args.valid);
    await page.getByRole('button', { name: 'Create Role' }).click();
    await page.locator(`tr[data-role="${args.name}"]`).waitFor({ timeout });
    await shot(page, 'roles');
    return { invalidMessage };
  },

  /** Visits the remaining pages for the documentation's pictures. */
  /** Opens Applications, launches args.app (a new tab), and reads the app's answer there. */
  async launch(page) {
    await page.goto(`${args.url}/web/cluster/${args.cluster}/apps`);
    const row = page.locator(`tr[data-app="${args.app}"]`);
    await row.waitFor({ timeout }).catch(() => fail(`the Applications page does not list ${args.app}`));
    await shot(page, 'apps');
    const [tab] = await Promise.all([
      page.context().waitForEvent('page', { timeout }),
      row.getByRole('link', { name: `Launch ${args.app}` }).click(),
    ]);
    const appHost = `${args.app}.`;
    await tab.waitForURL(url => url.hostname.startsWith(appHost) && url.pathname === '/', { timeout })
      .catch(() => fail(`the launch did not arrive at the app (last at ${tab.url()})`));
    await tab.waitForFunction(() => document.body?.innerText.includes('"path"'), null, { timeout })
      .catch(() => fail(`the app's page did not load after the launch (at ${tab.url()})`));
    await shot(tab, 'app-launched');
    // Chromium shows a JSON answer in a <pre> (newer versions add a pretty-print control beside it).
    const text = await tab.evaluate(() => (document.querySelector('pre') ?? document.body).innerText);
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      fail(`the app's page is not the echo app's JSON: ${text.slice(0, 200)}`);
    }
    const cookies = await page.context().cookies(tab.url());
    return { url: tab.url(), path: body.path, user: body.headers?.['teleport-jwt-assertion'] ? 'jwt' : '', cookies: cookies.map(c => c.name) };
  },

  async tour(page) {
    const pages = [
      ['resources', `/web/cluster/${args.cluster}/resources`, 'tr[data-node]'],
      ['sessions', `/web/cluster/${args.cluster}/sessions`, '.page-content'],
      ['users', '/web/users', 'tr[data-user]'],
      ['tokens', '/web/tokens', '.page-content'],
      ['locks', '/web/locks', '.page-content'],
      ['account', '/web/account', '.card'],
    ];
    for (const [name, path, selector] of pages) {
      await page.goto(`${args.url}${path}`);
      await page.locator(selector).first().waitFor({ timeout });
      await page.locator('.loading').first().waitFor({ state: 'detached', timeout }).catch(() => undefined);
      await shot(page, name);
    }
    return { visited: pages.length };
  },
};

async function main() {
  const run = scenarios[scenario];
  if (!run) fail(`unknown scenario "${scenario}"`);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    // App hosts (NAME.itest) resolve to the proxy on loopback, as a wildcard DNS record would.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--host-resolver-rules=MAP *.itest 127.0.0.1'],
  });
  try {
    const context = await browser.newContext({
      ignoreHTTPSErrors: true,
      viewport: args.viewport ?? { width: 1280, height: 800 },
      storageState: args.storageState || undefined,
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    const page = await context.newPage();
    page.setDefaultTimeout(timeout);
    const errors = [];
    page.on('pageerror', error => errors.push(error.message));
    try {
      const result = await run(page);
      if (args.saveState) {
        await context.storageState({ path: args.saveState });
      }
      if (errors.length > 0) fail(`the page threw: ${errors.join('; ')}`);
      console.log(JSON.stringify(result));
    } catch (error) {
      if (process.env.WEBUI_FAILSHOT) {
        await page.screenshot({ path: process.env.WEBUI_FAILSHOT }).catch(() => undefined);
      }
      throw error;
    }
  } finally {
    await browser.close();
  }
}

main().catch(error => {
  const message = error instanceof Failure ? error.message : (error?.message ?? String(error)).split('\n')[0];
  console.error(`browser scenario "${scenario}" failed: ${message}`);
  process.exit(1);
});
