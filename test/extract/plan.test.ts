import { describe, expect, it } from 'vitest';
import { planFor } from '../../src/extract/command.js';
import { planMarkdown } from '../../src/extract/render.js';
import { analyzeFixture } from './corpus.js';

describe('extract plan', () => {
  it('orders leaves first: every move comes after the moves it imports', async () => {
    const report = await analyzeFixture('plain');
    const plan = planFor(report, 'shared');
    const index = new Map(plan.steps.map((s) => [s.file, s.n]));
    for (const s of plan.steps) {
      for (const dep of report.files.find((f) => f.path === s.file)!.imports) {
        if (index.has(dep)) expect(index.get(dep)!, `${dep} before ${s.file}`).toBeLessThan(s.n);
      }
    }
  });

  it('secrets, personal and host files stay; moves say export, destination, options and rewrites', async () => {
    const plan = planFor(await analyzeFixture('plain'), 'shared');
    const byFile = new Map(plan.steps.map((s) => [s.file, s]));
    expect(byFile.get('modules/wifi.nix')).toMatchObject({
      action: 'stay',
      reason: 'secret: secrets never move',
    });
    // Issue 20: a module that only references sops secrets moves, its secret
    // names and paths becoming options.
    expect(byFile.get('home/secrets.nix')?.action).toBe('move');
    expect(byFile.get('home/secrets.nix')?.options.map((o) => o.option)).toEqual([
      'crossflake.personal.defaultSopsFile',
      'crossflake.personal.sopsSecrets',
    ]);
    expect(byFile.get('home/alice.nix')?.action).toBe('stay');
    expect(byFile.get('hosts/laptop/default.nix')?.action).toBe('stay');
    expect(byFile.get('home/tools.nix')).toMatchObject({
      action: 'move',
      output: 'homeModules',
      name: 'tools',
      destination: 'nix/modules/home/tools.nix',
      rewrites: [
        {
          file: 'home/alice.nix',
          line: 6,
          before: './tools.nix',
          after: 'inputs.shared.homeModules.tools',
        },
      ],
    });
    expect(byFile.get('home/git.nix')?.options.map((o) => o.option)).toEqual([
      'crossflake.user.description',
      'crossflake.user.email',
    ]);
    expect(byFile.get('modules/wsl.nix')).toMatchObject({
      action: 'move',
      platform: 'wsl',
      output: 'nixosModules',
    });
    expect(plan.steps.filter((s) => s.label === 'secret').every((s) => s.action === 'stay')).toBe(
      true,
    );
    expect(plan.others).toEqual([
      { file: 'flake.nix', kind: 'flake', label: 'personal' },
      { file: 'modules/ssh-keys.nix', kind: 'data', label: 'personal' },
    ]);
  });

  it('Markdown carries every step and a Mermaid diagram of layers and imports', async () => {
    const report = await analyzeFixture('dendritic');
    const plan = planFor(report, 'team');
    const md = planMarkdown(plan);
    expect(md).toContain('```mermaid\nflowchart LR');
    expect(md).toContain('Layer 1: shareable base');
    expect(md).toContain('Layer 2: platform adapters');
    expect(md).toContain(
      '- modules/nix.nix:2: `flake.modules.nixos.nix = { ... }` -> `flake.modules.nixos.nix = inputs.team.nixosModules.nix` (the module body moves)',
    );
    for (const s of plan.steps) expect(md).toContain(`## Step ${s.n}: `);
  });
});
