// The shapes of templates/<name>/template.json (validated against
// data/template.schema.json) and of a loaded template.

export type ParamType = 'string' | 'enum' | 'boolean';

/** Where a machine-specific default comes from (doctor's facts or git config). */
export type DefaultSource =
  | 'facts.user.name'
  | 'facts.user.hostname'
  | 'facts.nixSystem'
  | 'git.user.name'
  | 'git.user.email';

export type ParamValue = string | boolean;
export type ParamValues = Record<string, ParamValue>;

export interface ParamSpec {
  name: string;
  description: string;
  type: ParamType;
  /**
   * The harmless value the template files carry as they are; absent when
   * there is none (sharedFlake): the value must then be given.
   */
  default?: ParamValue;
  choices?: string[];
  pattern?: string;
  maxLength?: number;
  forbidden?: string[];
  /** The rule in words, quoted when a value breaks it. */
  rule: string;
  allowSlash?: boolean;
  freeText?: boolean;
  /** Text this parameter replaces in file contents and file names. */
  placeholder?: string;
  /** For a boolean: paths removed when the value is false. */
  prunes?: string[];
  defaultFrom?: DefaultSource;
}

export interface TemplateSpec {
  name: string;
  description: string;
  platformRows: string[];
  parameters: ParamSpec[];
  nextCommands: string[];
  samples: ParamValues[];
}

export interface Template {
  spec: TemplateSpec;
  /** The template's directory on disk. */
  dir: string;
  /** Relative POSIX path -> text, every file except template.json. */
  files: Map<string, string>;
}

/** Rendered output: relative POSIX path -> text. */
export type FileTree = Map<string, string>;
