// The image matrix as the flake describes it (`crossflake.images`), checked
// field by field: names end up in file names and attribute paths, so anything
// that could escape a directory or reach a shell is refused here.
import { UserError } from '../command.js';

export type ImageKind = 'derivation' | 'root-program';

export interface ImageSpec {
  name: string;
  format: string;
  system: string;
  /** Flake attribute path of the package, e.g. packages.x86_64-linux.company-nixos-qcow2. */
  attr: string;
  kind: ImageKind;
  /** Artifact path inside the build output (for a root program: the program), or null. */
  file: string | null;
  extension: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;
const SYSTEM = /^[a-z0-9_]+-[a-z0-9_]+$/;
const ATTR = /^[A-Za-z0-9_][A-Za-z0-9_.'+-]*$/;
const EXTENSION = /^[A-Za-z0-9]+(\.[A-Za-z0-9]+)*$/;

/** A relative path inside a build output: no '..', not absolute, no empty parts. */
export function isSafeRelativePath(path: string): boolean {
  if (path.startsWith('/') || path.includes('\\') || path.includes('\0')) return false;
  return path.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

function field(entry: Record<string, unknown>, key: string, where: string): string {
  const value = entry[key];
  if (typeof value !== 'string' || value === '') {
    throw new UserError(`${where}: '${key}' must be a non-empty string`);
  }
  return value;
}

function check(ok: boolean, where: string, message: string): void {
  if (!ok) throw new UserError(`${where}: ${message}`);
}

function parseOne(raw: unknown, index: number, source: string): ImageSpec {
  const where = `${source}[${index}]`;
  check(typeof raw === 'object' && raw !== null && !Array.isArray(raw), where, 'not an object');
  const entry = raw as Record<string, unknown>;
  const spec: ImageSpec = {
    name: field(entry, 'name', where),
    format: field(entry, 'format', where),
    system: field(entry, 'system', where),
    attr: field(entry, 'attr', where),
    kind: field(entry, 'kind', where) as ImageKind,
    file: entry.file === null || entry.file === undefined ? null : field(entry, 'file', where),
    extension: field(entry, 'extension', where).replace(/^\./, ''),
  };
  check(NAME.test(spec.name), where, `name '${spec.name}' is not a safe file name`);
  check(NAME.test(spec.format), where, `format '${spec.format}' is not a safe file name`);
  check(SYSTEM.test(spec.system), where, `system '${spec.system}' is not a Nix system`);
  check(ATTR.test(spec.attr) && !spec.attr.includes('..'), where, `bad attr '${spec.attr}'`);
  check(
    spec.kind === 'derivation' || spec.kind === 'root-program',
    where,
    `kind must be "derivation" or "root-program", got '${spec.kind}'`,
  );
  check(EXTENSION.test(spec.extension), where, `bad extension '${spec.extension}'`);
  check(
    spec.file === null || isSafeRelativePath(spec.file),
    where,
    `file '${spec.file}' must be a relative path inside the build output`,
  );
  return spec;
}

/** Parses the JSON of `crossflake.images`; throws UserError naming the bad entry. */
export function parseImageMatrix(data: unknown, source = 'crossflake.images'): ImageSpec[] {
  if (!Array.isArray(data)) throw new UserError(`${source}: expected a list of images`);
  const images = data.map((raw, i) => parseOne(raw, i, source));
  const seen = new Set<string>();
  for (const image of images) {
    const key = imageKey(image);
    if (seen.has(key)) throw new UserError(`${source}: image ${key} is listed twice`);
    seen.add(key);
  }
  return images;
}

/** The identity of an image across builds: name, format and system. */
export function imageKey(image: Pick<ImageSpec, 'name' | 'format' | 'system'>): string {
  return `${image.name}-${image.format}-${image.system}`;
}

/** `<name>-<format>-<system>-<version>.<ext>`, e.g. company-nixos-wsl-x86_64-linux-2026.11.wsl */
export function artifactFileName(image: ImageSpec, version: string): string {
  return `${imageKey(image)}-${version}.${image.extension}`;
}

type OnlyKind = 'key' | 'name' | 'format' | 'system';

type Selectable = Pick<ImageSpec, 'name' | 'format' | 'system'>;

const FIELD: Record<OnlyKind, (image: Selectable) => string> = {
  key: imageKey,
  name: (i) => i.name,
  format: (i) => i.format,
  system: (i) => i.system,
};

/**
 * Images chosen by the --only values: values of one kind (names, formats,
 * systems) add up, and kinds narrow each other, so `qcow2 x86_64-linux` is
 * the qcow2 images for x86_64-linux. All images when none are given.
 */
export function selectImages<T extends Selectable>(
  images: readonly T[],
  only: readonly string[],
): T[] {
  if (only.length === 0) return [...images];
  const kinds = Object.keys(FIELD) as OnlyKind[];
  const wanted = new Map<OnlyKind, Set<string>>();
  const unknown: string[] = [];
  for (const value of only) {
    const kind = kinds.find((k) => images.some((i) => FIELD[k](i) === value));
    if (kind === undefined) unknown.push(value);
    else wanted.set(kind, (wanted.get(kind) ?? new Set()).add(value));
  }
  if (unknown.length > 0) {
    throw new UserError(
      `--only ${unknown.join(', ')}: no image has that name, format or system ` +
        `(images: ${images.map(imageKey).join(', ') || 'none'})`,
    );
  }
  const picked = images.filter((i) => [...wanted].every(([kind, set]) => set.has(FIELD[kind](i))));
  if (picked.length === 0) {
    throw new UserError(
      `--only ${only.join(', ')}: no image is all of these (images: ${images.map(imageKey).join(', ')})`,
    );
  }
  return picked;
}
