import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { askMissing, PromptClosed } from '../../src/templates/prompt.js';
import { embeddedTemplatesDir, loadAll } from '../../src/templates/load.js';
import { deriveDefaults } from '../../src/templates/defaults.js';

const templates = await loadAll(embeddedTemplatesDir());
const spec = templates.find((t) => t.spec.name === 'wsl-home')!.spec;

async function ask(answers: string[], given = {}) {
  const stdin = new PassThrough();
  let out = '';
  const stdout = { write: (s: string) => (out += s) };
  stdin.end(answers.map((a) => `${a}\n`).join(''));
  const defaults = deriveDefaults(spec, null, { name: 'Ada Lovelace', email: 'ada@example.org' });
  const values = await askMissing(spec, defaults, given, { stdin, stdout });
  return { values, out };
}

describe('interactive prompts', () => {
  it('asks for each missing parameter; Enter keeps the default', async () => {
    const { values, out } = await ask(['ada', 'aarch64-linux', '', '', 'path:/srv/team'], {});
    expect(values).toEqual({
      username: 'ada',
      system: 'aarch64-linux',
      fullName: 'Ada Lovelace',
      email: 'ada@example.org',
      sharedFlake: 'path:/srv/team',
    });
    expect(out).toContain('Your login name on this machine [crossflake-user]: ');
    expect(out).toContain('(x86_64-linux, aarch64-linux) [x86_64-linux]: ');
  });

  it('a parameter without a default shows no brackets, and Enter alone asks again', async () => {
    const given = { username: 'ada', system: 'x86_64-linux', fullName: 'A', email: 'a@example.org' };
    const { values, out } = await ask(['', 'github:acme/team-config'], given);
    expect(values.sharedFlake).toBe('github:acme/team-config');
    const question = 'The flake to build on: your team\'s flake, or crossflake itself: ';
    expect(out.split(question)).toHaveLength(3);
    expect(out).toContain("  'sharedFlake' has no default: type a value (a flake reference: ");
    expect(out).not.toContain('YOUR-ORG');
  });

  it('a default from the team config is offered in brackets', async () => {
    const stdin = new PassThrough();
    let out = '';
    stdin.end('\n');
    const given = { username: 'ada', system: 'x86_64-linux', fullName: 'A', email: 'a@example.org' };
    const values = await askMissing(spec, { sharedFlake: 'github:acme/team-config' }, given, {
      stdin,
      stdout: { write: (s: string) => (out += s) },
    });
    expect(values.sharedFlake).toBe('github:acme/team-config');
    expect(out).toContain('[github:acme/team-config]: ');
  });

  it('repeats the rule and asks again after a bad answer', async () => {
    const { values, out } = await ask(['root', '../x', 'grace'], { system: 'x86_64-linux', fullName: 'G', email: 'g@example.org', sharedFlake: 'github:a/b' });
    expect(values.username).toBe('grace');
    expect(out).toContain(`parameter 'username' must not be "root"`);
    expect(out).toContain(`parameter 'username' must not contain '..'`);
  });

  it('does not ask for parameters given as flags', async () => {
    const given = { username: 'ada', system: 'x86_64-linux', fullName: 'A', email: 'a@example.org', sharedFlake: 'github:a/b' };
    const { values, out } = await ask([], given);
    expect(values).toEqual(given);
    expect(out).toBe('');
  });

  it('input that ends before every answer is given is an error, not a hang', async () => {
    await expect(ask(['ada'])).rejects.toThrow(PromptClosed);
  });

  it('five bad answers in a row give up', async () => {
    await expect(ask(['root', 'root', 'root', 'root', 'root', 'ada'])).rejects.toThrow(/after 5 tries/);
  });
});
