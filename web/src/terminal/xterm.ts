// One xterm.js setup for the web terminal and the player: the same font, colours and fit-to-container behaviour.

import { FitAddon } from '@xterm/addon-fit';
import { Terminal, type ITerminalInitOnlyOptions, type ITerminalOptions } from '@xterm/xterm';
import { mirrorInlineStyles } from './cspStyles';

export const terminalTheme = {
  background: '#0c1021',
  foreground: '#e6e9f2',
  cursor: '#8fb4ff',
  selectionBackground: '#3a4a7a',
  black: '#1b1f2e', red: '#ff6b6b', green: '#5fd38d', yellow: '#f5c451', blue: '#6ea8ff', magenta: '#c792ea', cyan: '#5fd3d3', white: '#d7dae0',
  brightBlack: '#5c6370', brightRed: '#ff8787', brightGreen: '#87e8a8', brightYellow: '#ffd97a', brightBlue: '#9cc2ff', brightMagenta: '#ddb3ff', brightCyan: '#8ce8e8', brightWhite: '#ffffff',
};

export function createTerminal(options: ITerminalOptions & ITerminalInitOnlyOptions = {}): { term: Terminal; fit: FitAddon } {
  mirrorInlineStyles();
  const term = new Terminal({
    fontFamily: '"DejaVu Sans Mono", "Menlo", "Consolas", "Liberation Mono", monospace',
    fontSize: 14,
    lineHeight: 1.1,
    cursorBlink: true,
    scrollback: 5000,
    theme: terminalTheme,
    allowProposedApi: false,
    ...options,
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  return { term, fit };
}
