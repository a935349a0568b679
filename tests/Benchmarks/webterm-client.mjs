// The web UI's side of the web terminal, for benchmarks: a WebSocket client (RFC 6455, written here, no npm package)
// over TLS to the proxy's web port, speaking the token handshake and the protobuf Envelope framing of
// contracts/Protos/webterminal.proto (fields 1 version, 2 type, 3 payload, all strings).
//   node webterm-client.mjs echo PORT SITE COOKIE BEARER NODE LOGIN KEYS WARMUP
//     one terminal; `cat > /dev/null` in it; types one byte at a time and times the terminal's echo of it;
//     prints "median p99" in microseconds (as keystroke-echo.sh's pty client does for tsh).
//   node webterm-client.mjs idle PORT SITE COOKIE BEARER NODE LOGIN COUNT
//     opens COUNT terminals, waits until each shell has answered, prints "open COUNT", then holds them until stdin
//     closes or says anything, and closes them all.
import crypto from 'node:crypto';
import readline from 'node:readline';
import tls from 'node:tls';

const [mode, port, site, cookie, bearer, node, login, ...rest] = process.argv.slice(2);

function envelope(type, payload) {
  const field = (number, text) => {
    const bytes = Buffer.from(text, 'utf8');
    const length = [];
    let n = bytes.length;
    do { length.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0)); n >>>= 7; } while (n > 0);
    return Buffer.concat([Buffer.from([(number << 3) | 2, ...length]), bytes]);
  };
  return Buffer.concat([field(1, '1'), field(2, type), field(3, payload)]);
}

function parseEnvelope(data) {
  const fields = {};
  let offset = 0;
  while (offset < data.length) {
    const tag = data[offset++];
    let length = 0, shift = 0, byte;
    do { byte = data[offset++]; length |= (byte & 0x7f) << shift; shift += 7; } while (byte & 0x80);
    fields[tag >> 3] = data.subarray(offset, offset + length).toString('utf8');
    offset += length;
  }
  return { type: fields[2] ?? '', payload: fields[3] ?? '' };
}

class Terminal {
  constructor() {
    this.output = '';
    this.ended = null;
    this.waiters = [];
    this.pending = Buffer.alloc(0);
  }

  open() {
    const params = encodeURIComponent(JSON.stringify({ server_id: node, login, term: { w: 80, h: 24 } }));
    const key = crypto.randomBytes(16).toString('base64');
    return new Promise((resolve, reject) => {
      this.socket = tls.connect({ host: '127.0.0.1', port: Number(port), rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] }, () => {
        this.socket.setNoDelay(true);
        this.socket.write(`GET /v1/webapi/sites/${site}/connect/ws?params=${params} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`
          + `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\nCookie: ${cookie}\r\n\r\n`);
      });
      let head = Buffer.alloc(0);
      const onHead = (chunk) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        this.socket.off('data', onHead);
        if (!head.subarray(0, 12).toString().includes('101')) return reject(new Error(`upgrade refused: ${head.subarray(0, end)}`));
        this.socket.on('data', (data) => this.receive(data));
        this.receive(head.subarray(end + 4));
        this.send(1, Buffer.from(JSON.stringify({ token: bearer })));
        resolve();
      };
      this.socket.on('data', onHead);
      this.socket.on('error', reject);
      this.socket.on('close', () => { this.ended ??= 'connection closed'; this.wake(); });
    });
  }

  // One client frame: FIN, the opcode, masked payload.
  send(opcode, payload) {
    const mask = crypto.randomBytes(4);
    const length = payload.length;
    const header = length < 126 ? Buffer.from([0x80 | opcode, 0x80 | length])
      : Buffer.from([0x80 | opcode, 0x80 | 126, length >> 8, length & 0xff]);
    const masked = Buffer.alloc(length);
    for (let i = 0; i < length; i++) masked[i] = payload[i] ^ mask[i & 3];
    this.socket.write(Buffer.concat([header, mask, masked]));
  }

  type(text) { this.send(2, envelope('r', text)); }

  receive(data) {
    this.pending = Buffer.concat([this.pending, data]);
    while (this.pending.length >= 2) {
      const opcode = this.pending[0] & 0x0f;
      let length = this.pending[1] & 0x7f, offset = 2;
      if (length === 126) { if (this.pending.length < 4) return; length = this.pending.readUInt16BE(2); offset = 4; }
      else if (length === 127) { if (this.pending.length < 10) return; length = Number(this.pending.readBigUInt64BE(2)); offset = 10; }
      if (this.pending.length < offset + length) return;
      const payload = this.pending.subarray(offset, offset + length);
      this.pending = this.pending.subarray(offset + length);
      if (opcode === 1) {
        const message = JSON.parse(payload.toString());
        if (message.status === 'error') this.ended = message.message;
      } else if (opcode === 2) {
        const { type, payload: text } = parseEnvelope(payload);
        if (type === 'r') this.output += text;
        else if (type === 'c' || type === 'e') this.ended = text;
      } else if (opcode === 8) {
        this.ended ??= 'closed';
      }
    }
    this.wake();
  }

  wake() { for (const waiter of this.waiters.splice(0)) waiter(); }

  // Resolves once `marker` is in the output (and drops the output up to it), rejects when the terminal ends first.
  async until(marker, seconds = 30) {
    const deadline = Date.now() + seconds * 1000;
    while (!this.output.includes(marker)) {
      if (this.ended !== null) throw new Error(`the terminal ended: ${this.ended}`);
      if (Date.now() > deadline) throw new Error(`no ${JSON.stringify(marker)} within ${seconds} s; got ${JSON.stringify(this.output.slice(-300))}`);
      await new Promise((resolve) => { this.waiters.push(resolve); setTimeout(resolve, 1000); });
    }
    this.output = this.output.slice(this.output.indexOf(marker) + marker.length);
  }

  close() { this.send(8, Buffer.from([0x03, 0xe8])); this.socket.end(); }
}

if (mode === 'echo') {
  const [keys, warmup] = rest.map(Number);
  const terminal = new Terminal();
  await terminal.open();
  // The shell echoes "READ''Y" as typed and prints READY once it ran the line.
  terminal.type("echo READ''Y; exec cat > /dev/null\r");
  await terminal.until('READY');
  await terminal.until('\n');
  const samples = [];
  for (let i = 0; i < warmup + keys; i++) {
    if (i % 64 === 63) { terminal.type('\r'); await terminal.until('\n'); }
    const start = process.hrtime.bigint();
    terminal.type('x');
    await terminal.until('x');
    if (i >= warmup) samples.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  terminal.close();
  samples.sort((a, b) => a - b);
  console.log(`${samples[samples.length >> 1].toFixed(0)} ${samples[Math.min(samples.length - 1, Math.floor(samples.length * 0.99))].toFixed(0)}`);
  process.exit(0);
} else if (mode === 'idle') {
  const count = Number(rest[0]);
  const terminals = [];
  for (let i = 0; i < count; i++) {
    const terminal = new Terminal();
    await terminal.open();
    terminal.type(`echo OPE''N-${i}\r`);
    await terminal.until(`OPEN-${i}`, 60);
    terminals.push(terminal);
  }
  console.log(`open ${terminals.length}`);
  const input = readline.createInterface({ input: process.stdin });
  await new Promise((resolve) => { input.once('line', resolve); input.once('close', resolve); });
  for (const terminal of terminals) terminal.close();
  process.exit(0);
} else {
  console.error('usage: webterm-client.mjs echo|idle PORT SITE COOKIE BEARER NODE LOGIN ...');
  process.exit(2);
}
