// A recording player on xterm.js: play/pause, seek (a slider; seeking back replays the output up to that point
// into a reset terminal, which is instant), speed. Time advances with the wall clock times the speed.

import type { Terminal } from '@xterm/xterm';
import { h } from '../core/dom';
import { createTerminal } from '../terminal/xterm';
import { parseSize, type Cast } from './asciicast';

export interface Player {
  el: HTMLElement;
  dispose(): void;
}

export function createPlayer(cast: Cast): Player {
  const screen = h('div', { class: 'player-screen' });
  const playButton = h('button', { type: 'button', class: 'btn btn-primary btn-small player-play', 'aria-label': 'Play' }, '▶ Play');
  const slider = h('input', { type: 'range', class: 'player-seek', min: 0, max: Math.max(1, Math.ceil(cast.duration * 1000)), step: 10, value: 0, 'aria-label': 'Position' });
  const clock = h('span', { class: 'player-clock', 'data-testid': 'player-clock' }, `${clockText(0)} / ${clockText(cast.duration)}`);
  const speed = h('select', { class: 'player-speed', 'aria-label': 'Speed' },
    ...[0.5, 1, 2, 4, 8, 16].map(s => h('option', { value: s, selected: s === 1 }, `${s}×`)));
  const el = h('div', { class: 'player' },
    h('div', { class: 'player-frame' }, screen),
    h('div', { class: 'player-controls' }, playButton, slider, clock, speed));

  const { term } = createTerminal({ cols: cast.width, rows: cast.height, disableStdin: true, cursorBlink: false, scrollback: 1000 });
  term.open(screen);

  let position = 0; // seconds into the recording
  let next = 0; // index of the next event to apply
  let playing = false;
  let frame = 0;
  let last = 0;

  const apply = (until: number) => {
    let output = '';
    while (next < cast.events.length && cast.events[next].time <= until) {
      const event = cast.events[next++];
      if (event.code === 'o') {
        output += event.data;
      } else if (event.code === 'r') {
        if (output) {
          term.write(output);
          output = '';
        }
        resize(term, event.data);
      }
    }
    if (output) {
      term.write(output);
    }
  };
  const show = () => {
    slider.value = String(Math.round(position * 1000));
    clock.textContent = `${clockText(position)} / ${clockText(cast.duration)}`;
  };
  const setPlaying = (value: boolean) => {
    playing = value;
    playButton.textContent = value ? '❚❚ Pause' : '▶ Play';
    playButton.setAttribute('aria-label', value ? 'Pause' : 'Play');
    el.classList.toggle('playing', value);
    if (value) {
      last = performance.now();
      frame = requestAnimationFrame(tick);
    } else {
      cancelAnimationFrame(frame);
    }
  };
  const tick = (now: number) => {
    if (!playing) {
      return;
    }
    position = Math.min(cast.duration, position + ((now - last) / 1000) * Number(speed.value));
    last = now;
    apply(position);
    show();
    if (position >= cast.duration) {
      setPlaying(false);
      el.classList.add('ended');
      return;
    }
    frame = requestAnimationFrame(tick);
  };
  const seek = (to: number) => {
    to = Math.max(0, Math.min(cast.duration, to));
    if (to < position) {
      term.reset();
      term.resize(cast.width, cast.height);
      next = 0;
    }
    position = to;
    apply(position);
    show();
  };

  playButton.addEventListener('click', () => {
    if (!playing && position >= cast.duration) {
      el.classList.remove('ended');
      seek(0);
    }
    setPlaying(!playing);
  });
  slider.addEventListener('input', () => seek(Number(slider.value) / 1000));
  el.addEventListener('keydown', event => {
    if (event.key === ' ' && event.target === el) {
      event.preventDefault();
      playButton.click();
    }
  });

  return {
    el,
    dispose() {
      setPlaying(false);
      term.dispose();
    },
  };
}

function resize(term: Terminal, data: string): void {
  const size = parseSize(data);
  if (size) {
    term.resize(size.cols, size.rows);
  }
}

function clockText(seconds: number): string {
  const total = Math.floor(seconds);
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}
