// Loading templates from disk: the embedded ones (templates/ in the npm
// package) or a directory the user names. Each template.json is checked
// against data/template.schema.json and for consistency with its files
// before anything is rendered from it.
// Synchronous reads: a template is a handful of small files, and each
// asynchronous read is a round trip through the thread pool that init, which
// does nothing else meanwhile, would only wait for.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import schema from '../../data/template.schema.json' with { type: 'json' };
import { BUILD_ID } from '../build-id.js';
import type { FileTree, Template, TemplateSpec } from './types.js';

export const SPEC_FILE = 'template.json';

export class TemplateError extends Error {
  override name = 'TemplateError';
}

/**
 * The package root: the nearest folder upwards with a package.json named
 * crossflake. Found by walking, because the bundle's cli.js and its chunks
 * sit at different depths under dist/, and tests run from src/.
 */
let ownRoot: string | undefined;

export function packageRoot(from?: string): string {
  if (from === undefined) return (ownRoot ??= findPackageRoot(fileURLToPath(import.meta.url)));
  return findPackageRoot(from);
}

function findPackageRoot(from: string): string {
  let dir = dirname(from);
  while (true) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'crossflake') {
          return dir;
        }
      } catch {
        // An unreadable package.json on the way up is not ours; keep walking.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new TemplateError(`cannot find the crossflake package above ${from}`);
    dir = parent;
  }
}

export function embeddedTemplatesDir(): string {
  return join(packageRoot(), 'templates');
}

let validator: ReturnType<Ajv2020['compile']> | undefined;

// ajv is loaded when a template is, not with the command: `init --help`
// and onboard's start-up do not pay for it.
async function validateSpecShape(data: unknown, file: string): Promise<TemplateSpec> {
  if (!validator) {
    // ajv is CommonJS: a dynamic import gives its exports as `default`.
    const ajv = (await import('ajv/dist/2020.js')) as unknown as { default: { Ajv2020: typeof Ajv2020 } };
    validator = new ajv.default.Ajv2020({ allErrors: true, strict: false }).compile(schema);
  }
  if (!validator(data)) {
    const lines = (validator.errors ?? []).map(
      (e) => `  ${e.instancePath || '/'}: ${e.message ?? 'is invalid'}`,
    );
    throw new TemplateError(`${file} does not match data/template.schema.json:\n${lines.join('\n')}`);
  }
  return data as TemplateSpec;
}

async function readTree(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  function walk(dir: string): void {
    const entries = readdirSync(dir, { withFileTypes: true });
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        const rel = relative(root, full).split(sep).join('/');
        if (rel !== SPEC_FILE) files.set(rel, readFileSync(full, 'utf8'));
      }
    }
  }
  walk(root);
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A template as the build loaded it without a problem: its template.json and files, exactly. */
export interface CheckedTemplate {
  /** The build that wrote it (BUILD_ID): its schema and checks are this code's. */
  build: string;
  spec: string;
  files: Record<string, string>;
}

const checked = new Map<string, CheckedTemplate | null>();

// Compiling the schema with ajv is most of `init`'s own time, and checking a
// template against its files (consistency.ts) most of the rest; the embedded
// templates passed both when the package was built, by this very code
// (dist/template-index/<name>.json keeps each one's exact texts and the
// build's id, a hash of the sources and data/ with the schema), so only a
// template whose template.json is not the listed one pays for the schema, and
// only one whose template.json or any file differs (the user's, an edited
// one, or any when running from source) pays for the consistency check. One
// file per template: init reads only its own. Texts, not digests: comparing
// strings needs no node:crypto at start-up.
function checkedAtBuild(name: string): CheckedTemplate | null {
  if (checked.has(name)) return checked.get(name) ?? null;
  let entry: CheckedTemplate | null = null;
  if (BUILD_ID !== null && /^[a-z0-9][a-z0-9-]*$/.test(name)) {
    try {
      const file = join(packageRoot(), 'dist', 'template-index', `${name}.json`);
      const listed = JSON.parse(readFileSync(file, 'utf8')) as CheckedTemplate;
      if (listed.build === BUILD_ID) entry = listed;
    } catch {
      // Not listed: checked in full.
    }
  }
  checked.set(name, entry);
  return entry;
}

function sameFiles(listed: Record<string, string>, files: FileTree): boolean {
  const names = Object.keys(listed);
  return names.length === files.size && names.every((name) => files.get(name) === listed[name]);
}

/** Loads one template directory; throws TemplateError naming the file on any problem. */
export async function loadTemplate(dir: string): Promise<Template> {
  const file = join(dir, SPEC_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new TemplateError(`${file}: missing (every template needs its ${SPEC_FILE})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new TemplateError(`${file}: not valid JSON: ${(error as Error).message}`);
  }
  const name = dir.split(sep).at(-1) ?? '';
  const files = await readTree(dir);
  const listed = checkedAtBuild(name)?.spec === text ? checkedAtBuild(name) : null;
  if (listed && sameFiles(listed.files, files)) return { spec: data as TemplateSpec, dir, files };
  const spec = listed ? (data as TemplateSpec) : await validateSpecShape(data, file);
  // Loaded only here: with every template as built, init never needs it.
  const { specProblems } = await import('./consistency.js');
  const problems = specProblems(spec, files, name);
  if (problems.length > 0) {
    throw new TemplateError(`${file}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
  return { spec, dir, files };
}

/** Names of the template directories under root (those with a template.json). */
export async function templateNames(root: string): Promise<string[]> {
  let entries;
  try {
    entries = readdirSync(root, { withFileTypes: true });
  } catch {
    throw new TemplateError(`${root}: no such templates directory`);
  }
  return entries
    .filter((e) => e.isDirectory() && existsSync(join(root, e.name, SPEC_FILE)))
    .map((e) => e.name)
    .sort();
}

export async function loadAll(root: string): Promise<Template[]> {
  const names = await templateNames(root);
  return Promise.all(names.map((name) => loadTemplate(join(root, name))));
}
