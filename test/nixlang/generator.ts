// Random Nix programs from the grammar, seeded so a failure can be replayed.
// Programs use every construct with random trivia between tokens; names come
// from small pools so duplicate attributes, shadowing and merges happen, and a
// few variables are left unbound on purpose (Nix must reject those too).

/** mulberry32: small, fast, good enough for test data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = ['a', 'b', 'x', 'foo', 'bar-baz', "x'", '_y', 'pkgs', 'lib', 'map', 'config'];
const KEYS = [...NAMES, 'or', 'outPath', 'type'];
const QUOTED_KEYS = ['"a b"', '"if"', '""', '"x.y"', '"a"', '"\\n"', '"é"', '"${"a"}"', '${"b"}'];
const TRIVIA = [
  ' ',
  ' ',
  ' ',
  '\n',
  '  ',
  '\t',
  ' # note\n',
  ' /* c */ ',
  '\r\n',
  ' /**/ ',
  '\n\n  ',
];
const STRING_BITS = [
  'a',
  'hello world',
  '\\n',
  '\\t',
  '\\"',
  '\\\\',
  '\\$',
  '$',
  '$$',
  '\\${x}',
  'é',
  "'",
  '\\q',
  '{',
  '}',
];
const IND_BITS = [
  'a',
  ' b',
  '\n',
  '\n  ',
  "'''",
  "''$",
  "''\\n",
  "''\\t",
  '$',
  "'",
  '$$',
  '  x',
  '\t',
  'é',
];
const PATH_HEADS = [
  './a',
  './a/b.nix',
  '../x',
  '/etc/nix',
  'a/b',
  '~/cfg',
  './.',
  '/a/../b',
  'x/./y',
];
const OPS = ['+', '-', '*', '/', '++', '//', '==', '!=', '<', '>', '<=', '>=', '&&', '||', '->'];

export class Generator {
  private readonly r: () => number;
  constructor(seed: number) {
    this.r = rng(seed);
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.r() * xs.length)]!;
  }
  private chance(p: number): boolean {
    return this.r() < p;
  }
  private t(): string {
    return this.pick(TRIVIA);
  }

  /** A whole file: often a module-shaped function, sometimes a bare expression. */
  program(): string {
    const scope = ['pkgs', 'lib', 'config'];
    const body = this.expr(4, scope);
    if (this.chance(0.5))
      return `{${this.t()}pkgs,${this.t()}lib,${this.t()}config,${this.t()}...${this.t()}}:${this.t()}${body}\n`;
    return `${this.t()}let${this.t()}pkgs = {};${this.t()}lib = {};${this.t()}config = {};${this.t()}in${this.t()}${body}`;
  }

  expr(depth: number, scope: string[]): string {
    if (depth <= 0) return this.atom(scope);
    const s = this.t();
    switch (Math.floor(this.r() * 14)) {
      case 0: {
        const arg = this.pick(NAMES);
        return `${arg}:${s}${this.expr(depth - 1, [...scope, arg])}`;
      }
      case 1:
        return this.formalsLambda(depth, scope);
      case 2: {
        const names = [this.pick(NAMES), this.pick(NAMES)];
        const inner = [...scope, ...names];
        const binds = names.map((n) => `${n}${s}=${s}${this.expr(depth - 1, inner)};`).join(s);
        return `let${s}${binds}${s}in${s}${this.expr(depth - 1, inner)}`;
      }
      case 3:
        return `with${s}${this.simple(depth - 1, scope)};${s}${this.expr(depth - 1, [...scope, 'fromWith'])}`;
      case 4:
        return `assert${s}${this.op(depth - 1, scope)};${s}${this.expr(depth - 1, scope)}`;
      case 5:
        return `if${s}${this.op(depth - 1, scope)}${s}then${s}${this.expr(depth - 1, scope)}${s}else${s}${this.expr(depth - 1, scope)}`;
      default:
        return this.op(depth - 1, scope);
    }
  }

  private formalsLambda(depth: number, scope: string[]): string {
    const s = this.t();
    const names = [...new Set([this.pick(NAMES), this.pick(NAMES), this.pick(NAMES)])].slice(
      0,
      1 + Math.floor(this.r() * 3),
    );
    const inner = [...scope, ...names];
    const formals = names.map((n) => (this.chance(0.3) ? `${n}${s}?${s}${this.atom(inner)}` : n));
    if (this.chance(0.4)) formals.push('...');
    let head = `{${s}${formals.join(`,${s}`)}${this.chance(0.1) && !formals.includes('...') ? ',' : ''}${s}}`;
    if (this.chance(0.3)) {
      const at = this.pick(['args', 'self']);
      inner.push(at);
      head = this.chance(0.5) ? `${head}${s}@${s}${at}` : `${at}${s}@${s}${head}`;
    }
    return `${head}:${s}${this.expr(depth - 1, inner)}`;
  }

  private op(depth: number, scope: string[]): string {
    const s = this.t();
    if (depth <= 0) return this.app(0, scope);
    switch (Math.floor(this.r() * 6)) {
      case 0:
        return `!${this.op(depth - 1, scope)}`;
      case 1:
        return `-${s}${this.app(depth - 1, scope)}`;
      case 2:
        return `${this.app(depth - 1, scope)}${s}?${s}${this.attrPath(depth - 1, scope)}`;
      default:
        return `${this.app(depth - 1, scope)}${s}${this.pick(OPS)}${s}${this.app(depth - 1, scope)}`;
    }
  }

  private app(depth: number, scope: string[]): string {
    const s = this.t();
    if (depth > 0 && this.chance(0.3))
      return `${this.select(depth - 1, scope)}${s}${this.select(depth - 1, scope)}`;
    return this.select(depth, scope);
  }

  private select(depth: number, scope: string[]): string {
    const s = this.t();
    if (depth > 0 && this.chance(0.25)) {
      const def = this.chance(0.4) ? `${s}or${s}${this.simple(depth - 1, scope)}` : '';
      return `${this.simple(depth - 1, scope)}.${this.attrPath(depth - 1, scope)}${def}`;
    }
    return this.simple(depth, scope);
  }

  private attrPath(depth: number, scope: string[]): string {
    const n = 1 + Math.floor(this.r() * 3);
    const parts: string[] = [];
    for (let i = 0; i < n; i++) parts.push(this.key(depth, scope));
    return parts.join('.');
  }

  private key(depth: number, scope: string[]): string {
    if (this.chance(0.7)) return this.pick(KEYS);
    if (this.chance(0.7)) return this.pick(QUOTED_KEYS);
    return `\${${this.atom(scope)}}`;
  }

  simple(depth: number, scope: string[]): string {
    const s = this.t();
    if (depth <= 0) return this.atom(scope);
    switch (Math.floor(this.r() * 9)) {
      case 0:
        return `(${s}${this.expr(depth - 1, scope)}${s})`;
      case 1: {
        const n = Math.floor(this.r() * 4);
        const items: string[] = [];
        for (let i = 0; i < n; i++) items.push(this.select(depth - 1, scope));
        return `[${s}${items.join(s)}${s}]`;
      }
      case 2:
      case 3:
        return this.attrs(depth, scope);
      case 4:
        return this.string(depth, scope);
      case 5:
        return this.indString(depth, scope);
      case 6:
        return this.path(depth, scope);
      case 7:
        return `let${s}{${s}body${s}=${s}${this.atom(scope)};${s}${this.pick(KEYS)}${s}=${s}1;${s}}`;
      default:
        return this.atom(scope);
    }
  }

  private attrs(depth: number, scope: string[]): string {
    const s = this.t();
    const rec = this.chance(0.3);
    const n = Math.floor(this.r() * 4);
    const binds: string[] = [];
    for (let i = 0; i < n; i++) {
      const roll = this.r();
      if (roll < 0.15)
        binds.push(
          `inherit${s}${this.pick(scope)}${this.chance(0.3) ? ` "${this.pick(scope)}"` : ''};`,
        );
      else if (roll < 0.25)
        binds.push(`inherit${s}(${s}${this.simple(depth - 1, scope)}${s})${s}${this.pick(KEYS)};`);
      else binds.push(`${this.attrPath(depth - 1, scope)}${s}=${s}${this.expr(depth - 1, scope)};`);
    }
    return `${rec ? `rec${s}` : ''}{${s}${binds.join(s)}${s}}`;
  }

  private string(depth: number, scope: string[]): string {
    let out = '"';
    const n = Math.floor(this.r() * 4);
    for (let i = 0; i < n; i++) {
      out +=
        this.chance(0.25) && depth > 0
          ? `\${${this.expr(depth - 1, scope)}}`
          : this.pick(STRING_BITS);
    }
    return `${out}"`;
  }

  private indString(depth: number, scope: string[]): string {
    let out = this.pick(["''", "''\n", "''  \n"]);
    const n = Math.floor(this.r() * 6);
    for (let i = 0; i < n; i++) {
      out +=
        this.chance(0.2) && depth > 0 ? `\${${this.expr(depth - 1, scope)}}` : this.pick(IND_BITS);
    }
    return `${out}''`;
  }

  private path(depth: number, scope: string[]): string {
    const head = this.pick(PATH_HEADS);
    if (depth > 0 && this.chance(0.3))
      return `${head}/\${${this.atom(scope)}}${this.pick(['', '/c', '.nix', '-x'])}`;
    return head;
  }

  atom(scope: string[]): string {
    switch (Math.floor(this.r() * 12)) {
      case 0:
        return String(Math.floor(this.r() * 1000));
      case 1:
        return this.pick([
          '1.5',
          '0.25',
          '.5',
          '1e3',
          '2.',
          '1.0e-3',
          '123456.789',
          '3.14159265',
          '0.0001',
        ]);
      case 2:
        return this.pick(['true', 'false', 'null', 'builtins', '__curPos', 'toString']);
      case 3:
        return this.pick(['<nixpkgs>', '<nixpkgs/lib>', 'https://example.org/x?y=1', 'mailto:a@b']);
      case 4:
        return `"${this.pick(STRING_BITS)}"`;
      case 5:
        return this.chance(0.15) ? this.pick(['unbound', 'undefinedThing']) : this.pick(scope);
      default:
        return this.pick(scope);
    }
  }
}

const MUTATION_BITS = [
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
  ';',
  ':',
  '.',
  '?',
  '@',
  ',',
  '=',
  '"',
  "''",
  '${',
  '$',
  '\\',
  '/',
  '-',
  '!',
  '<',
  '>',
  'or',
  'in',
  '#',
  '/*',
  '*/',
  '\n',
  ' ',
  '1',
  '.5',
  'a',
  '~/',
  './',
  '<x>',
  'a:b',
];

/** Mutate a program a few times: delete, duplicate or insert small pieces. */
export function mutate(source: string, seed: number): string {
  const r = rng(seed);
  let s = source;
  const n = 1 + Math.floor(r() * 3);
  for (let k = 0; k < n; k++) {
    const at = Math.floor(r() * (s.length + 1));
    const roll = r();
    if (roll < 0.35) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(r() * 3));
    else if (roll < 0.5) s = s.slice(0, at) + s.slice(at, at + 4) + s.slice(at);
    else s = s.slice(0, at) + MUTATION_BITS[Math.floor(r() * MUTATION_BITS.length)]! + s.slice(at);
  }
  return s;
}

const SOUP = [
  'a',
  'b',
  '1',
  '.5',
  '2.',
  './a',
  '/',
  '${',
  '}',
  '"',
  "''",
  "'",
  '$',
  '\\',
  ':',
  '@',
  '{',
  ',',
  '?',
  '...',
  'or',
  '<a>',
  '~/',
  '+',
  '-',
  '.',
  ' ',
  '\n',
  '#',
  'x:y',
  '=',
  ';',
  'let',
  'in',
  'rec',
  'inherit',
  '(',
  ')',
  '[',
  ']',
  '"a"',
  '!',
  '==',
  '->',
  '//',
  '++',
  '*',
  'a/b',
  'e',
  '/*',
  '*/',
  '\r',
];

/** A short random run of lexer-relevant fragments: exercises token boundaries. */
export function soup(seed: number): string {
  const r = rng(seed);
  let t = r() < 0.5 ? 'a: b: e: ' : '';
  const n = 1 + Math.floor(r() * 14);
  for (let k = 0; k < n; k++) t += SOUP[Math.floor(r() * SOUP.length)]!;
  return t;
}
