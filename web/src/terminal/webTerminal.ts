// The web terminal's WebSocket (docs/webapi.md "Web terminal"): after the upgrade the bearer token goes first as a
// text frame; the server answers create_session_response; then every frame is a binary Envelope.

import { bearerToken } from '../core/api';
import { decodeEnvelope, encodeEnvelope } from './envelope';

export interface SessionMetadata {
  id: string;
  login?: string;
  server_id?: string;
  server_hostname?: string;
  parties?: { user: string; mode?: string }[];
}

export interface TerminalHandlers {
  ready(): void;
  data(text: string): void;
  metadata(session: SessionMetadata): void;
  latency(ws: number, ssh: number): void;
  /** The session is over: `reason` says why in one sentence; `failed` when it never started or broke. */
  closed(reason: string, failed: boolean): void;
}

export interface ConnectParams {
  server_id: string;
  login: string;
  term: { w: number; h: number };
  sid?: string;
  mode?: string;
}

export class WebTerminal {
  private readonly socket: WebSocket;
  private started = false;
  private finished = false;

  constructor(site: string, params: ConnectParams, private readonly handlers: TerminalHandlers) {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const url = `${scheme}://${location.host}/v1/webapi/sites/${encodeURIComponent(site)}/connect/ws?params=${encodeURIComponent(JSON.stringify(params))}`;
    this.socket = new WebSocket(url);
    this.socket.binaryType = 'arraybuffer';
    this.socket.onopen = () => this.socket.send(JSON.stringify({ token: bearerToken() ?? '' }));
    this.socket.onmessage = event => this.receive(event.data);
    this.socket.onerror = () => undefined;
    this.socket.onclose = event => {
      if (!this.finished) {
        this.finish(this.started
          ? `The connection to the proxy closed${event.reason ? `: ${event.reason}` : ''}.`
          : event.reason || 'The proxy refused the connection: the session may have expired. Sign in again and retry.', true);
      }
    };
  }

  send(text: string): void {
    this.envelope('r', text);
  }

  resize(cols: number, rows: number): void {
    this.envelope('w', JSON.stringify({ size: `${cols}:${rows}` }));
  }

  /** Ends the session from this side. */
  close(): void {
    if (this.finished) {
      return;
    }
    this.envelope('c', '');
    this.finish('You ended the session.', false);
  }

  private envelope(type: string, payload: string): void {
    if (this.started && !this.finished && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(encodeEnvelope({ version: '1', type, payload }));
    }
  }

  private receive(data: unknown): void {
    if (typeof data === 'string') {
      let message: { type?: string; status?: string; message?: string };
      try {
        message = JSON.parse(data);
      } catch {
        return;
      }
      if (message.type === 'create_session_response') {
        if (message.status === 'ok') {
          this.started = true;
          this.handlers.ready();
        } else {
          this.finish(message.message || 'The session could not be started.', true);
        }
      }
      return;
    }
    let envelope;
    try {
      envelope = decodeEnvelope(new Uint8Array(data as ArrayBuffer));
    } catch {
      return;
    }
    switch (envelope.type) {
      case 'r':
        this.handlers.data(envelope.payload);
        break;
      case 's':
        try {
          this.handlers.metadata((JSON.parse(envelope.payload) as { session: SessionMetadata }).session);
        } catch {
          // metadata is informative only
        }
        break;
      case 'l':
        try {
          const latency = JSON.parse(envelope.payload) as { ws: number; ssh: number };
          this.handlers.latency(latency.ws, latency.ssh);
        } catch {
          // ignore
        }
        break;
      case 'e':
        this.finish(envelope.payload || 'The session failed.', true);
        break;
      case 'c':
        this.finish(envelope.payload || 'The session ended.', false);
        break;
      default:
        break;
    }
  }

  private finish(reason: string, failed: boolean): void {
    if (this.finished) {
      return;
    }
    this.finished = true;
    this.handlers.closed(reason, failed);
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) {
      this.socket.close(1000);
    }
  }
}
