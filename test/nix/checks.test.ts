// `checks.<system>` (nix/checks.nix) read offline. Names come from the real
// flake with its committed lock (builtins only, as `crossflake ci` reads
// them). What each check evaluates comes from flake.nix's real outputs
// function called with stub inputs (test/fixtures/checks/stub-inputs.nix),
// whose "configurations" record what they were given: the VM each check
// names and the system its runner is built for, the module files a rendered
// template reaches. The real evaluation is `nix flake check` in CI.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedTemplatesDir, loadAll } from '../../src/templates/load.js';
import { checkAll } from '../../src/templates/validate.js';
import type { Template } from '../../src/templates/types.js';
import { needsNix, nixVersion } from '../helpers/nix.js';
import { nixPath, nixString, repoRoot, runNix } from './helpers.js';

const SYSTEMS = ['aarch64-darwin', 'aarch64-linux', 'x86_64-darwin', 'x86_64-linux'];
const STUBS = nixPath('test/fixtures/checks/stub-inputs.nix');

interface Record {
  what: string;
  guest: string | null;
  runner?: string;
  hostName?: string | null;
  modules: string[];
}

/** nix-instantiate, strict, JSON. */
function evalNix(expr: string) {
  return runNix('nix-instantiate', ['--eval', '--strict', '--json', '-E', expr]);
}

function evalJson<T>(expr: string): T {
  const r = evalNix(expr);
  if (r.code !== 0) throw new Error(`nix-instantiate failed (${r.code}):\n${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

function evalError(expr: string): string {
  const r = evalNix(expr);
  if (r.code === 0) throw new Error(`expected an evaluation error, got ${r.stdout}`);
  return r.stderr;
}

// flake.nix's outputs with stub inputs; `patch` may replace outputs (a VM).
function stubbedFlake(patch = 'outputs: { }'): string {
  return `let
    stubs = import ${STUBS};
    flake = import ${nixPath('flake.nix')};
    outputs = flake.outputs (stubs // { self = final; });
    final = outputs // (${patch}) outputs;
  in final`;
}

// Each check's text (the stub's record), for checks that are not image
// packages: those need nixpkgs' image framework, which the stub does not fake.
function checkRecords(patch?: string): { [system: string]: { [check: string]: Record } } {
  const texts = evalJson<{ [system: string]: { [check: string]: string } }>(`
    let
      self = ${stubbedFlake(patch)};
      recorded = name: builtins.match "(image-.*|.*-package-.*)" name == null;
      texts = checks: builtins.listToAttrs (map (name: { inherit name; value = checks.\${name}.text; })
        (builtins.filter recorded (builtins.attrNames checks)));
    in builtins.mapAttrs (system: texts) self.checks`);
  const out: { [system: string]: { [check: string]: Record } } = {};
  for (const [system, checks] of Object.entries(texts)) {
    out[system] = Object.fromEntries(
      Object.entries(checks).map(([name, text]) => [name, JSON.parse(text) as Record]),
    );
  }
  return out;
}

describe.skipIf(!nixVersion)(`checks.<system>, offline${needsNix}`, () => {
  let templates: Template[];
  let names: { [system: string]: string[] };
  let records: ReturnType<typeof checkRecords>;
  let scratch: string;

  beforeAll(async () => {
    templates = await loadAll(embeddedTemplatesDir());
    // The real flake through getFlake (pure evaluation, committed lock), as
    // `crossflake ci` lists it: only what the flake needs, so `path:` is small.
    scratch = mkdtempSync(path.join(os.tmpdir(), 'crossflake-checks-'));
    for (const entry of ['flake.nix', 'flake.lock', 'nix', 'data', 'templates']) {
      cpSync(path.join(repoRoot, entry), path.join(scratch, entry), { recursive: true });
    }
    const r = runNix('nix', [
      'eval',
      '--offline',
      '--impure',
      '--json',
      '--option',
      'download-attempts',
      '1',
      '--expr',
      `builtins.mapAttrs (s: builtins.attrNames) (builtins.getFlake ${nixString(`path:${scratch}`)}).checks`,
    ]);
    if (r.code !== 0) throw new Error(r.stderr);
    names = JSON.parse(r.stdout) as typeof names;
    records = checkRecords();
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('lists the VM check names of every system without nixpkgs', () => {
    // The module checks' names: test/nix/flake-outputs.test.ts; the image
    // checks' names: the next test.
    expect(Object.keys(names).sort()).toEqual(SYSTEMS);
    const vms = (system: string) => names[system]!.filter((n) => n.startsWith('vm-'));
    expect(vms('x86_64-linux')).toEqual(['vm-gui', 'vm-headless']);
    expect(vms('aarch64-linux')).toEqual(['vm-gui', 'vm-headless']);
    expect(vms('aarch64-darwin')).toEqual(['vm-gui', 'vm-headless']);
    // No generic VM is meant for an Intel Mac.
    expect(vms('x86_64-darwin')).toEqual([]);
  });

  it('evaluates every image package of packages.<system> and nothing of another system', () => {
    const packages = evalJson<{ [system: string]: string[] }>(
      `builtins.mapAttrs (s: builtins.attrNames) (${stubbedFlake()}).packages`,
    );
    // crossflake's own CLI (crossflake, default) is a package on every
    // system but no image: flake check evaluates it as a package.
    const cli = ['crossflake', 'default'];
    for (const system of SYSTEMS) {
      expect(packages[system], system).toEqual(expect.arrayContaining(cli));
      const images = (packages[system] ?? []).filter((p) => !cli.includes(p));
      const imageChecks = names[system]!.filter((n) => n.startsWith('image-'));
      expect(imageChecks).toEqual(images.map((p) => `image-${p}`));
      if (system.endsWith('-linux')) expect(imageChecks.length, system).toBeGreaterThan(0);
    }
  });

  it("each vm check evaluates a generic VM whose runner is built for the check's own system (stub nixpkgs)", () => {
    // Which of flake.nix's VMs a record is, told by its host name (each
    // VM's own record, from the same stub, gives the names).
    const own = evalJson<{ [config: string]: string }>(
      `builtins.mapAttrs (n: c: c.config.system.build.vm.drvPath) (${stubbedFlake()}).nixosConfigurations`,
    );
    const configByHost = new Map(
      Object.entries(own).map(([config, text]) => [(JSON.parse(text) as Record).hostName, config]),
    );
    expect(configByHost.size).toBe(Object.keys(own).length);
    const vms = (system: string) =>
      Object.fromEntries(
        Object.entries(records[system]!)
          .filter(([name]) => name.startsWith('vm-'))
          .map(([name, r]) => [
            name,
            { vm: configByHost.get(r.hostName), what: r.what, guest: r.guest, runner: r.runner },
          ]),
      );
    const vm = (name: string, guest: string, runner: string) => ({
      vm: name,
      what: 'vm',
      guest,
      runner,
    });
    expect(vms('x86_64-linux')).toEqual({
      'vm-gui': vm('generic-vm-gui-x86_64', 'x86_64-linux', 'x86_64-linux'),
      'vm-headless': vm('generic-vm-headless-x86_64', 'x86_64-linux', 'x86_64-linux'),
    });
    // flake.nix builds the aarch64 VMs' runners for Apple Silicon Macs...
    expect(vms('aarch64-darwin')).toEqual({
      'vm-gui': vm('generic-vm-gui-aarch64', 'aarch64-linux', 'aarch64-darwin'),
      'vm-headless': vm('generic-vm-headless-aarch64', 'aarch64-linux', 'aarch64-darwin'),
    });
    // ...and an aarch64 Linux host gets them with the runner retargeted.
    expect(vms('aarch64-linux')).toEqual({
      'vm-gui': vm('generic-vm-gui-aarch64', 'aarch64-linux', 'aarch64-linux'),
      'vm-headless': vm('generic-vm-headless-aarch64', 'aarch64-linux', 'aarch64-linux'),
    });
    expect(vms('x86_64-darwin')).toEqual({});
  });

  it('a vm check whose VM runner is built for another system fails evaluation, naming both', () => {
    const patch = `outputs: {
      nixosConfigurations = outputs.nixosConfigurations // {
        generic-vm-headless-x86_64 = outputs.lib.mkGenericVm { arch = "x86_64"; hostSystem = "x86_64-darwin"; };
      };
    }`;
    const stderr = evalError(`(${stubbedFlake(patch)}).checks.x86_64-linux.vm-headless.text`);
    expect(stderr).toContain(
      'checks.x86_64-linux.vm-headless: the runner of generic-vm-headless-x86_64 is built for x86_64-darwin, not x86_64-linux',
    );
  });

  it('every sample of every template has its configurations checked on its own system only', () => {
    for (const template of templates) {
      template.spec.samples.forEach((sample, index) => {
        const prefix = `template-${template.spec.name}-${index}-`;
        const system = checkAll(template.spec, sample).values.system as string;
        for (const other of SYSTEMS) {
          const here = names[other]!.filter((n) => n.startsWith(prefix));
          if (other === system) expect(here.length, `${prefix}* on ${other}`).toBeGreaterThan(0);
          else expect(here, `${prefix}* on ${other}`).toEqual([]);
        }
        for (const [name, record] of Object.entries(records[system]!)) {
          if (name.startsWith(prefix)) expect(record.guest, name).toBe(system);
        }
      });
    }
  });

  it('template checks cover each kind of configuration the templates make', () => {
    const all = SYSTEMS.flatMap((s) => names[s]!.filter((n) => n.startsWith('template-')));
    // The team's images follow the formats its flake offers per system.
    const packages = all.filter((n) => n.includes('-package-'));
    expect(all.filter((n) => !n.includes('-package-')).sort()).toEqual([
      'template-bare-metal-0-nixos-ada-desktop',
      'template-bare-metal-1-nixos-grace-pi',
      'template-darwin-0-darwin-ada-mbp',
      'template-darwin-1-darwin-grace-imac',
      'template-team-0-colleague-nixos-nixos',
      'template-team-0-nixos-work-base',
      'template-team-1-nixos-work-base',
      'template-wsl-home-0-home-ada',
      'template-wsl-home-1-home-grace',
      'template-wsl-nixos-0-nixos-ada-laptop',
      'template-wsl-nixos-1-nixos-grace-arm',
    ]);
    for (const [index, team] of ['acme', 'blue-team'].entries()) {
      const prefix = `template-team-${index}-package-${team}-work-base-`;
      const own = packages.filter((n) => n.startsWith(prefix));
      expect(own.length, prefix).toBeGreaterThan(0);
      expect(own.map((n) => n.slice(prefix.length))).toContain('wsl');
    }
    expect(packages.every((n) => /^template-team-[01]-package-/.test(n))).toBe(true);
  });

  it('a rendered template imports its own rendered files; a pruned home.nix is absent (stub nixpkgs)', () => {
    const ada = records['x86_64-linux']!['template-bare-metal-0-nixos-ada-desktop']!;
    const grace = records['aarch64-linux']!['template-bare-metal-1-nixos-grace-pi']!;
    for (const [r, host] of [
      [ada, 'ada-desktop'],
      [grace, 'grace-pi'],
    ] as const) {
      // hosts/<host> (its default.nix), then the hardware configuration it imports.
      expect(r.modules).toContain(host);
      expect(r.modules).toContain('hardware-configuration.nix');
    }
    expect(ada.modules).toContain('home-manager.nixosModules.home-manager');
    expect(grace.modules).not.toContain('home-manager.nixosModules.home-manager');
  });
});

describe.skipIf(!nixVersion)(`template checks refuse what they cannot place${needsNix}`, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'crossflake-check-template-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // A one-file template: its parameters, one sample, and that sample's
  // rendered flake.nix in samples/t-0.
  function names(parameters: object[], sample: object, flake: string): string {
    writeFileSync(
      path.join(dir, 'template.json'),
      JSON.stringify({ name: 't', parameters, samples: [sample] }),
    );
    mkdirSync(path.join(dir, 'samples/t-0'), { recursive: true });
    writeFileSync(path.join(dir, 'samples/t-0/flake.nix'), flake);
    return evalError(`builtins.attrNames (import ${nixPath('nix/checks/template-configs.nix')} {
      templates.t.path = ${nixString(dir)};
      samples = ${nixString(dir)} + "/samples";
      inputs = { };
      shared = { };
    } "x86_64-linux")`);
  }
  const system = { name: 'system', type: 'enum', default: 'x86_64-linux' };

  it('an input the checks cannot provide is named', () => {
    const stderr = names(
      [system],
      {},
      '{ inputs.other.url = "github:o/r"; outputs = { other, ... }: { nixosConfigurations = other.hosts; }; }',
    );
    expect(stderr).toContain(
      "template t sample 0 has the input 'other', which the checks cannot provide",
    );
  });

  it('a template without a system parameter is named', () => {
    const stderr = names([], {}, '{ outputs = { ... }: { }; }');
    expect(stderr).toContain("template t has no 'system' parameter");
  });
});
