// Writes nix/checks/samples/<template>-<index>/: every sample parameter set of
// every template (template.json `samples`), rendered by `crossflake init`
// itself. The flake's template checks evaluate these committed trees.
//
// Why committed files and not a rendering inside Nix: `nix flake check
// --no-build` evaluates in read-only mode, where builtins.toFile writes
// nothing, so a rendered file put in the store during evaluation cannot be
// imported (Nix says the path "is not valid"; Nix before 2.18 also refuses
// such an import in pure evaluation). Files of the flake's own source can
// always be imported. test/nix/template-samples.test.ts fails when these
// trees differ from what init renders today; then run:
//
//   npm run build && node scripts/render-samples.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'nix/checks/samples');
const bin = join(root, 'bin/crossflake.js');

/** Every parameter on the command line: the sample's value, else the template's default (never this machine's). */
function paramArgs(spec, sample) {
  return spec.parameters.flatMap((param) => {
    const value = param.name in sample ? sample[param.name] : param.default;
    if (value === undefined) throw new Error(`${spec.name}: '${param.name}' has no value`);
    return ['--param', `${param.name}=${String(value)}`];
  });
}

const staging = mkdtempSync(join(root, 'nix/checks/.samples-'));
try {
  for (const name of readdirSync(join(root, 'templates')).sort()) {
    const spec = JSON.parse(readFileSync(join(root, 'templates', name, 'template.json'), 'utf8'));
    spec.samples.forEach((sample, index) => {
      const dir = join(staging, `${name}-${index}`);
      const res = spawnSync(
        process.execPath,
        [bin, 'init', name, dir, '--non-interactive', ...paramArgs(spec, sample)],
        { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
      );
      if (res.status !== 0) throw new Error(`init ${name} sample ${index}: ${res.stderr.trim()}`);
    });
  }
  // All or nothing: the old trees go only once every new one is written.
  rmSync(out, { recursive: true, force: true });
  renameSync(staging, out);
  console.log(`wrote ${readdirSync(out).length} rendered samples to nix/checks/samples/`);
} finally {
  rmSync(staging, { recursive: true, force: true });
}
