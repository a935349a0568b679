// Teleport's web terminal frame: protobuf `Envelope { string version = 1; string type = 2; string payload = 3; }`.
// Three length-delimited string fields are all it has, so it is encoded and decoded here by hand.

export interface Envelope {
  version: string;
  type: string;
  payload: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

export function encodeEnvelope(envelope: Envelope): Uint8Array {
  const fields: [number, Uint8Array][] = [
    [1, encoder.encode(envelope.version)],
    [2, encoder.encode(envelope.type)],
    [3, encoder.encode(envelope.payload)],
  ];
  const parts: number[][] = [];
  let size = 0;
  for (const [number, bytes] of fields) {
    if (bytes.length === 0) {
      continue; // proto3 leaves empty strings out
    }
    const head = [(number << 3) | 2, ...varint(bytes.length)];
    parts.push(head);
    size += head.length + bytes.length;
  }
  const out = new Uint8Array(size);
  let offset = 0;
  let index = 0;
  for (const [, bytes] of fields) {
    if (bytes.length === 0) {
      continue;
    }
    out.set(parts[index++], offset);
    offset += parts[index - 1].length;
    out.set(bytes, offset);
    offset += bytes.length;
  }
  return out;
}

export function decodeEnvelope(data: Uint8Array): Envelope {
  const envelope: Envelope = { version: '', type: '', payload: '' };
  let offset = 0;
  const readVarint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (offset >= data.length) {
        throw new Error('truncated envelope');
      }
      const byte = data[offset++];
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) {
        return result;
      }
      shift += 7;
      if (shift > 49) {
        throw new Error('varint too long');
      }
    }
  };
  while (offset < data.length) {
    const key = readVarint();
    const number = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 2) {
      const length = readVarint();
      if (offset + length > data.length) {
        throw new Error('truncated envelope');
      }
      const bytes = data.subarray(offset, offset + length);
      offset += length;
      if (number === 1) {
        envelope.version = decoder.decode(bytes);
      } else if (number === 2) {
        envelope.type = decoder.decode(bytes);
      } else if (number === 3) {
        envelope.payload = decoder.decode(bytes);
      }
    } else if (wire === 0) {
      readVarint();
    } else if (wire === 1) {
      offset += 8;
    } else if (wire === 5) {
      offset += 4;
    } else {
      throw new Error(`unsupported wire type ${wire}`);
    }
  }
  return envelope;
}

function varint(value: number): number[] {
  const bytes: number[] = [];
  while (value > 0x7f) {
    bytes.push((value & 0x7f) | 0x80);
    value = Math.floor(value / 128);
  }
  bytes.push(value);
  return bytes;
}
