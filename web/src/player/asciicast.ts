// Session recordings are asciicast v2 (docs/recordings.md): a JSON header line with the terminal size, then one
// `[seconds, code, data]` line per event ("o" output, "r" resize "WxH", others ignored by the player).

export interface CastEvent {
  time: number;
  code: string;
  data: string;
}

export interface Cast {
  width: number;
  height: number;
  events: CastEvent[];
  duration: number;
}

export function parseCast(text: string): Cast {
  const lines = text.split('\n').filter(line => line.trim().length > 0);
  if (lines.length === 0) {
    throw new Error('The recording is empty.');
  }
  let header: { version?: number; width?: number; height?: number };
  try {
    header = JSON.parse(lines[0]);
  } catch {
    throw new Error('The recording is not in asciicast v2 format (its first line is not a JSON header).');
  }
  if (header.version !== 2) {
    throw new Error('The recording is not in asciicast version 2 format.');
  }
  const events: CastEvent[] = [];
  for (let i = 1; i < lines.length; i++) {
    try {
      const item = JSON.parse(lines[i]) as unknown[];
      if (Array.isArray(item) && item.length >= 3 && typeof item[0] === 'number') {
        events.push({ time: item[0], code: String(item[1]), data: String(item[2]) });
      }
    } catch {
      // A torn last line (a recording cut short) is skipped, not fatal.
    }
  }
  events.sort((a, b) => a.time - b.time);
  return {
    width: header.width ?? 80,
    height: header.height ?? 24,
    events,
    duration: events.length > 0 ? events[events.length - 1].time : 0,
  };
}

/** "120x40" (asciicast) or "120:40" (Teleport) to columns and rows. */
export function parseSize(text: string): { cols: number; rows: number } | null {
  const match = /^(\d+)[x:](\d+)$/.exec(text.trim());
  if (!match) {
    return null;
  }
  const cols = Number(match[1]);
  const rows = Number(match[2]);
  return cols > 0 && rows > 0 && cols < 4096 && rows < 4096 ? { cols, rows } : null;
}
