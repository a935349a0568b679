// The time range picker of the recordings and audit pages: presets or a custom from/to.

import { h } from './dom';

export interface TimeRange {
  from: Date;
  to: Date;
}

const presets: [string, number][] = [
  ['Last hour', 3600e3],
  ['Last 24 hours', 24 * 3600e3],
  ['Last 7 days', 7 * 24 * 3600e3],
  ['Last 30 days', 30 * 24 * 3600e3],
];

export function timeRangePicker(initial: string, changed: () => void): { el: HTMLElement; range(): TimeRange; preset(): string } {
  const select = h('select', { 'aria-label': 'Time range' },
    presets.map(([label]) => h('option', { value: label, selected: label === initial }, label)),
    h('option', { value: 'custom', selected: initial === 'custom' }, 'Custom range…'));
  const from = h('input', { type: 'datetime-local', 'aria-label': 'From' });
  const to = h('input', { type: 'datetime-local', 'aria-label': 'To' });
  const custom = h('span', { class: 'custom-range' }, from, '–', to);
  const local = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
  from.value = local(new Date(Date.now() - 24 * 3600e3));
  to.value = local(new Date());
  const update = () => {
    custom.hidden = select.value !== 'custom';
  };
  update();
  select.addEventListener('change', () => {
    update();
    changed();
  });
  from.addEventListener('change', changed);
  to.addEventListener('change', changed);
  return {
    el: h('span', { class: 'time-range' }, select, custom),
    preset: () => select.value,
    range() {
      if (select.value === 'custom') {
        return { from: new Date(from.value), to: new Date(to.value) };
      }
      const span = presets.find(([label]) => label === select.value)?.[1] ?? 24 * 3600e3;
      // A minute ahead, so an event that happened just now is inside.
      return { from: new Date(Date.now() - span), to: new Date(Date.now() + 60e3) };
    },
  };
}
