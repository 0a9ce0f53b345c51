import { describe, expect, it } from 'vitest';
import { progressBar } from '../../src/ui/download-progress.js';

function sink(isTTY: boolean) {
  let text = '';
  return { stream: { write: (c: string) => (text += c), isTTY }, text: () => text };
}

describe('download progress', () => {
  it('prints a plain line per 10% when not a terminal, naming a resume', () => {
    const s = sink(false);
    const bar = progressBar(s.stream, 'img.wsl', () => 0);
    const total = 10 * 1024 * 1024;
    for (let r = 3 * 1024 * 1024; r <= total; r += 512 * 1024) {
      bar.update({ received: r, total, resumedFrom: 3 * 1024 * 1024 });
    }
    bar.done();
    const lines = s.text().trim().split('\n');
    expect(lines[0]).toBe('img.wsl: 30% 3.0 MiB of 10.0 MiB (resumed at 3.0 MiB)');
    expect(lines.at(-1)).toBe('img.wsl: 100% 10.0 MiB of 10.0 MiB (resumed at 3.0 MiB)');
    expect(lines).toHaveLength(8);
    expect(s.text()).not.toContain('\r');
  });

  it('redraws one bar in place on a terminal and ends the line when done', () => {
    const s = sink(true);
    let t = 0;
    const bar = progressBar(s.stream, 'img.wsl', () => (t += 200));
    bar.update({ received: 512, total: 1024, resumedFrom: 0 });
    bar.update({ received: 1024, total: 1024, resumedFrom: 0 });
    bar.done();
    const frames = s.text().split('\r').filter(Boolean);
    expect(frames).toHaveLength(2);
    expect(frames[0]).toContain('[############............]  50%');
    expect(frames[1]).toContain('[########################] 100%');
    expect(s.text().endsWith('\n')).toBe(true);
  });
});
