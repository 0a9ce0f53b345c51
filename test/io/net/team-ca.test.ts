// A company CA named by the team config (crossflake.json network.caFile,
// relative to that file, found upward from the working directory) or by
// onboard's --ca-file: a TLS server on 127.0.0.1 whose certificate a CA made
// with openssl signed is trusted through either, and refused without.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveRelease, type ReleaseServer } from '../../helpers/release-server.js';
import { makeTestCa, type TestCa } from '../../helpers/test-ca.js';
import { cli } from '../../images/helpers.js';

const IMAGE = 'company-nixos-wsl-x86_64-linux-2026.11.wsl';
const body = randomBytes(64 * 1024);
const sha = createHash('sha256').update(body).digest('hex');
const windowsFacts = new URL('../../fixtures/host/facts/windows-native.json', import.meta.url)
  .pathname;
let root: string;
let repo: string;
let ca: TestCa;
let server: ReleaseServer;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'cf-team-ca-src-'));
  writeFileSync(join(root, IMAGE), body);
  writeFileSync(join(root, 'SHA256SUMS'), `${sha}  ${IMAGE}\n`);
  ca = makeTestCa(mkdtempSync(join(tmpdir(), 'cf-team-ca-')));
  server = await serveRelease(root, { key: ca.key, cert: ca.cert });
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
  rmSync(join(ca.caFile, '..'), { recursive: true, force: true });
});
beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), 'cf-team-repo-'));
  mkdirSync(join(repo, 'certs'));
  mkdirSync(join(repo, 'sub', 'deeper'), { recursive: true });
  copyFileSync(ca.caFile, join(repo, 'certs', 'company.pem'));
  return () => rmSync(repo, { recursive: true, force: true });
});

const teamConfig = (network: unknown) =>
  writeFileSync(join(repo, 'crossflake.json'), `${JSON.stringify({ network }, null, 2)}\n`);
const fetchIn = (cwd: string, ...extra: string[]) =>
  cli(['images', 'fetch', `${server.url}${IMAGE}`, '--to', 'out', ...extra], cwd);

describe('network.caFile in crossflake.json', () => {
  it('is trusted by images fetch run below the config, as a path relative to the file', async () => {
    teamConfig({ caFile: 'certs/company.pem' });
    const res = await fetchIn(join(repo, 'sub', 'deeper'));
    expect(res.code, res.stderr).toBe(0);
    expect(readFileSync(join(repo, 'sub', 'deeper', 'out', IMAGE)).equals(body)).toBe(true);
  });

  it('without it the same fetch is refused (the CA is what makes the difference)', async () => {
    teamConfig({});
    const res = await fetchIn(repo);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('TLS certificate not trusted');
  });

  it('a missing file is named with the config that names it (exit 2)', async () => {
    teamConfig({ caFile: 'certs/nope.pem' });
    const res = await fetchIn(repo);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(
      `${join(repo, 'crossflake.json')} network.caFile ${join(repo, 'certs', 'nope.pem')} cannot be read (ENOENT)`,
    );
  });

  it('--ca-file replaces it for one command', async () => {
    teamConfig({ caFile: 'certs/nope.pem' });
    const res = await fetchIn(repo, '--ca-file', join(repo, 'certs', 'company.pem'));
    expect(res.code, res.stderr).toBe(0);
  });

  it('a value that is not a path is refused by the schema with line and column', async () => {
    writeFileSync(join(repo, 'crossflake.json'), '{\n  "network": { "caFile": 7 }\n}\n');
    const res = await fetchIn(repo);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`${join(repo, 'crossflake.json')}:2:`);
    expect(res.stderr).toContain('$.network.caFile: must be string');
  });
});

describe('onboard wsl --ca-file', () => {
  const dryRun = (cwd: string, ...extra: string[]) =>
    cli(
      [
        'onboard',
        'wsl',
        '--dry-run',
        '--json',
        '--facts',
        windowsFacts,
        '--image',
        server.url,
        '--state',
        join(repo, 's.json'),
        ...extra,
      ],
      cwd,
      { LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' },
    );
  type Out = { plan: { steps: { id: string; what: string; command: string[] }[] } };

  it('reads the release through the CA and hands it to the planned fetch', async () => {
    const res = await dryRun(repo, '--ca-file', 'certs/company.pem');
    expect(res.code, res.stderr).toBe(0);
    const [fetchStep] = (JSON.parse(res.stdout) as Out).plan.steps;
    expect(fetchStep?.what).toBe(`Download ${IMAGE} and verify its SHA-256`);
    expect(fetchStep?.command.slice(-2)).toEqual(['--ca-file', join(repo, 'certs', 'company.pem')]);
  });

  it('takes the team config CA too; without any CA the dry run says it could not check', async () => {
    teamConfig({ caFile: 'certs/company.pem' });
    const withTeam = await dryRun(join(repo, 'sub'));
    const [teamStep] = (JSON.parse(withTeam.stdout) as Out).plan.steps;
    expect(teamStep?.what).toBe(`Download ${IMAGE} and verify its SHA-256`);
    teamConfig({});
    const without = await dryRun(repo);
    const [bare] = (JSON.parse(without.stdout) as Out).plan.steps;
    expect(bare?.what).toContain('TLS certificate not trusted');
  });
});
