// Plain data shared by the extract analysis, plan and apply. Everything here
// is serialisable: `--json` prints these records as they are.
import type { SyntaxTree } from '../nixlang/index.js';

export const LABELS = [
  'shareable-base',
  'platform-adapter',
  'host-specific',
  'personal',
  'secret',
] as const;
export type Label = (typeof LABELS)[number];
export type Platform = 'wsl' | 'darwin' | 'linux';
/** Which module system a file belongs to, as far as the repo shows. */
export type ModuleClass = 'nixos' | 'darwin' | 'home' | 'flake-parts' | 'unknown';
/** What a file is: a module, plain data, the flake itself, or other Nix (lib, package). */
export type FileKind = 'module' | 'data' | 'flake' | 'other';

/** What a rule found, before the classifier weighs it. */
/**
 * `reference`: points at a secret kept elsewhere (a key path, a secret's name,
 * /run/secrets/...): never secret itself, its names and paths are parameters.
 * `template`: a template file or a placeholder value, which names nobody.
 */
export type Signal =
  'personal' | 'secret' | 'reference' | 'template' | 'host' | 'platform' | 'not-a-module';

export interface Evidence {
  rule: string;
  /** The file, relative to the repo root (set in the report; rules leave it out). */
  file?: string;
  signal: Signal;
  line: number;
  column: number;
  /** The matched text; for secrets a masked form, never the value. */
  text: string;
  platform?: Platform;
  /** For personal values: the crossflake.* option that could carry it. */
  option?: string;
  /** The personal value itself (for parameters); absent for secrets. */
  value?: string;
  /** Byte range of the node that matched, for edits. */
  start?: number;
  end?: number;
}

export interface ParsedFile {
  /** Relative to the repo root, '/'-separated. */
  path: string;
  bytes: number;
  tree: SyntaxTree;
}

export interface ImportEdge {
  from: string;
  /** Resolved target, relative to the repo root. */
  to: string;
  kind: 'imports' | 'import' | 'callPackage' | 'modules' | 'auto-import';
  /** How the edge was written (`imports`, `nixosSystem modules`, `import-tree` ...). */
  via: string;
  line: number;
  column: number;
  /** Byte range of the expression that names the target (the path node). */
  start: number;
  end: number;
  /** That expression's source text, e.g. `./git.nix`. */
  text: string;
}

export interface FlakeExport {
  /** e.g. nixosModules, homeModules, nixosConfigurations, flake.modules.nixos */
  output: string;
  name: string;
  file: string;
  line: number;
  /** Files the exported value refers to. */
  targets: string[];
  /** For module outputs: false when the value is plain data, not a module. */
  isModule?: boolean;
}

export interface Configuration {
  output: 'nixosConfigurations' | 'darwinConfigurations' | 'homeConfigurations';
  name: string;
  user?: string;
  host?: string;
  file: string;
  line: number;
  /** Module files reached from this configuration's module list. */
  modules: string[];
}

export interface Identifiers {
  users: string[];
  hosts: string[];
  emails: string[];
  /** Domains of the person's own (of their addresses, networking.domain). */
  domains: string[];
  names: string[];
  extra: string[];
}

export interface Parameter {
  option: string;
  value: string;
  line: number;
  column: number;
}

export interface FileVerdict {
  path: string;
  kind: FileKind;
  label: Label;
  platform?: Platform;
  moduleClass: ModuleClass;
  /** Names in the pattern of the file's function (`{ config, lib, namespace, ... }:`). */
  arguments?: string[];
  /** shareable-base (needs parameters): the values that would become options. */
  needsParameters: boolean;
  parameters: Parameter[];
  evidence: Evidence[];
  diagnostics: { message: string; line: number; column: number }[];
  imports: string[];
}

export interface AnalysisReport {
  schema: 'crossflake.extract.analysis/1';
  root: string;
  identifiers: Identifiers;
  files: FileVerdict[];
  edges: ImportEdge[];
  exports: FlakeExport[];
  configurations: Configuration[];
  autoImports: { file: string; dir: string; via: string }[];
  summary: Record<Label, number>;
}
