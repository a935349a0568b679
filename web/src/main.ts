// The proxy's web UI. Teleport's routes, so bookmarks and habits carry over.
import '@xterm/xterm/css/xterm.css';
import './styles.css';

import { onUnauthorized } from './core/api';
import { h } from './core/dom';
import { navigate, route, start } from './core/router';
import { context, forget, loadContext, signedIn } from './core/session';
import { accountPage } from './pages/account';
import { appsPage } from './pages/apps';
import { auditPage } from './pages/audit';
import { consolePage } from './pages/console';
import { invitePage } from './pages/invite';
import { launchPage } from './pages/launch';
import { locksPage } from './pages/locks';
import { loginPage } from './pages/login';
import { playbackPage } from './pages/playback';
import { recordingsPage } from './pages/recordings';
import { resourcesPage } from './pages/resources';
import { rolesPage } from './pages/roles';
import { sessionsPage } from './pages/sessions';
import { tokensPage } from './pages/tokens';
import { usersPage } from './pages/users';

const home = async () => {
  if (!signedIn()) {
    navigate('/web/login', true);
    return;
  }
  try {
    const ctx = context() ?? (await loadContext());
    navigate(`/web/cluster/${encodeURIComponent(ctx.cluster.name)}/resources`, true);
  } catch {
    navigate('/web/login', true);
  }
};

route('/', home);
route('/web', home);
route('/web/login', loginPage);
route('/web/invite/:token', invitePage('invite'));
route('/web/reset/:token', invitePage('reset'));
route('/web/cluster/:cluster', home);
route('/web/cluster/:cluster/resources', resourcesPage);
route('/web/cluster/:cluster/nodes', resourcesPage);
route('/web/cluster/:cluster/apps', appsPage);
route('/web/launch/:fqdn', launchPage);
route('/web/launch/:fqdn/:clusterId', launchPage);
route('/web/launch/:fqdn/:clusterId/:publicAddr', launchPage);
route('/web/cluster/:cluster/console/node/:serverId/:login', consolePage);
route('/web/cluster/:cluster/console/session/:sid', consolePage);
route('/web/cluster/:cluster/sessions', sessionsPage);
route('/web/cluster/:cluster/recordings', recordingsPage);
route('/web/cluster/:cluster/session/:sid', playbackPage);
route('/web/cluster/:cluster/audit', auditPage);
route('/web/cluster/:cluster/audit/events', auditPage);
route('/web/users', usersPage);
route('/web/roles', rolesPage);
route('/web/tokens', tokensPage);
route('/web/locks', locksPage);
route('/web/account', accountPage);

onUnauthorized(() => {
  forget();
  if (!location.pathname.startsWith('/web/login')) {
    navigate(`/web/login?redirect_uri=${encodeURIComponent(location.pathname + location.search)}`, true);
  }
});

start(document.getElementById('app')!, container => {
  document.title = 'Not found · Teleport';
  container.append(h('div', { class: 'auth-page' }, h('div', { class: 'auth-card' },
    h('h1', null, 'Page not found'),
    h('p', { class: 'muted' }, `There is no page at ${location.pathname}.`),
    h('a', { class: 'btn btn-primary btn-block', href: '/web' }, 'Go to the start page'))));
});
