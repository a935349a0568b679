// The JSON shapes of docs/webapi.md that the pages read.

export interface Ping {
  auth?: { type?: string; second_factor?: string; local?: { name?: string } };
  cluster_name?: string;
  server_version?: string;
}

export interface WebSessionResponse {
  type: string;
  token: string;
  expires_in: number;
  sessionExpires?: string;
  sessionInactiveTimeout?: number;
}

export interface Access {
  list: boolean;
  read: boolean;
  edit: boolean;
  create: boolean;
  remove: boolean;
}

export interface UserContext {
  userName: string;
  roles: string[];
  logins: string[];
  authType: string;
  cluster: { name: string; publicURL?: string };
  sessionExpires?: string;
  secondFactor?: string;
  editor?: boolean;
  userAcl?: Partial<Record<'users' | 'roles' | 'tokens' | 'locks' | 'events' | 'recordedSessions' | 'activeSessions', Access>>;
}

export interface Label {
  name: string;
  value: string;
}

export interface NodeItem {
  kind: string;
  id: string;
  name: string;
  hostname: string;
  addr: string;
  tunnel: boolean;
  labels: Label[];
  sshLogins: string[];
}

/** An app the user's roles reach (GET /v1/webapi/sites/:site/apps). */
export interface AppItem {
  kind: string;
  name: string;
  description: string;
  uri: string;
  publicAddr: string;
  fqdn: string;
  clusterId: string;
  url: string;
  labels: Label[];
}

/** POST /v1/webapi/sessions/app. */
export interface AppSessionResponse {
  cookie_value: string;
  fqdn: string;
  public_addr: string;
  cluster_name: string;
  app_name: string;
  url: string;
  expires: string;
}

export interface ResourcePage {
  items: NodeItem[];
  startKey: string;
  totalCount: number;
}

export interface Party {
  user: string;
  mode?: string;
  server_id?: string;
}

export interface ActiveSession {
  kind: string;
  id: string;
  parties: Party[];
  login: string;
  created: string;
  server_id: string;
  server_hostname: string;
  server_addr?: string;
  owner?: string;
  command?: string;
  participantModes?: string[];
}

export type AuditEvent = Record<string, unknown> & {
  event?: string;
  code?: string;
  time?: string;
  user?: string;
  uid?: string;
};

export interface EventPage {
  events: AuditEvent[];
  startKey: string;
}

export interface UserItem {
  name: string;
  roles: string[];
  authType?: string;
  traits?: { logins?: string[] };
}

export interface RoleItem {
  id: string;
  kind: string;
  name: string;
  content: string;
}

export interface TokenItem {
  id: string;
  safeName?: string;
  roles: string[];
  expiry?: string;
  isStatic?: boolean;
}

export interface LockItem {
  name: string;
  message?: string;
  expires?: string;
  createdAt?: string;
  createdBy?: string;
  targets: { kind: string; name: string }[];
}

export interface ResetToken {
  tokenId: string;
  user: string;
  expiry?: string;
  url: string;
}
