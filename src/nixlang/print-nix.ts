// Prints Nix's AST exactly as `nix-instantiate --parse` (Nix 2.8) shows it, so
// the two can be compared byte for byte. One deviation is deliberate: Nix 2.8
// orders lambda formals and `let` bindings by the memory address of their
// interned name, which no source-level rule reproduces; we print both in
// source order (see docs/parse.md).
import type { NAttr, NAttrs, NExpr } from './nix-ast.js';

export function printNix(e: NExpr): string {
  const out: string[] = [];
  show(e, out);
  return out.join('');
}

/** A string literal as Nix shows it: ", \ and $ escaped, \n \r \t spelled out. */
export function showString(s: string): string {
  let out = '"';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | null = null;
    if (c === 34) rep = '\\"';
    else if (c === 92) rep = '\\\\';
    else if (c === 36) rep = '\\$';
    else if (c === 10) rep = '\\n';
    else if (c === 13) rep = '\\r';
    else if (c === 9) rep = '\\t';
    if (rep !== null) {
      out += s.slice(from, i) + rep;
      from = i + 1;
    }
  }
  return out + s.slice(from) + '"';
}

/** An attribute name: bare when it is an identifier (Nix quotes only "if"). */
export function showIdentifier(s: string): string {
  if (s === '' || s === 'if') return showString(s);
  const c = s.charCodeAt(0);
  if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95)) return showString(s);
  for (let i = 1; i < s.length; i++) {
    const d = s.charCodeAt(i);
    const ok =
      (d >= 97 && d <= 122) ||
      (d >= 65 && d <= 90) ||
      (d >= 48 && d <= 57) ||
      d === 95 ||
      d === 39 ||
      d === 45;
    if (!ok) return showString(s);
  }
  return s;
}

/** C++ ostream's default float format (%g, 6 significant digits). */
export function showFloat(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const sign = v < 0 ? '-' : '';
  // JS rounds exact ties up; C rounds them to even. Only exact ties differ.
  let [digits, exp] = splitExp(Math.abs(v).toExponential(5));
  const [long, longExp] = splitExp(Math.abs(v).toExponential(60));
  if (/^50*$/.test(long.slice(6)) && Number(long[5]) % 2 === 0) {
    digits = long.slice(0, 6);
    exp = longExp;
  }
  if (exp < -4 || exp >= 6) {
    const frac = digits.slice(1).replace(/0+$/, '');
    const abs = String(Math.abs(exp)).padStart(2, '0');
    return `${sign}${digits[0]}${frac ? `.${frac}` : ''}e${exp < 0 ? '-' : '+'}${abs}`;
  }
  const fixed =
    exp >= 0
      ? `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`
      : `0.${'0'.repeat(-exp - 1)}${digits}`;
  return sign + fixed.replace(/0+$/, '').replace(/\.$/, '');
}

/** "1.23450e+5" as ["123450", 5]. */
function splitExp(s: string): [string, number] {
  const e = s.indexOf('e');
  return [s.slice(0, e).replace('.', ''), Number(s.slice(e + 1))];
}

function showPath(path: NAttr[], out: string[]): void {
  path.forEach((a, i) => {
    if (i > 0) out.push('.');
    if ('name' in a) out.push(showIdentifier(a.name));
    else {
      out.push('"${');
      show(a.expr, out);
      out.push('}"');
    }
  });
}

function byName(a: [string, unknown], b: [string, unknown]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

function showAttrs(e: NAttrs, out: string[]): void {
  if (e.rec) out.push('rec ');
  out.push('{ ');
  for (const [name, def] of [...e.attrs].sort(byName)) {
    if (def.inherited) out.push('inherit ', showIdentifier(name), ' ; ');
    else {
      out.push(showIdentifier(name), ' = ');
      show(def.e, out);
      out.push('; ');
    }
  }
  for (const d of e.dyn) {
    out.push('"${');
    show(d.name, out);
    out.push('}" = ');
    show(d.value, out);
    out.push('; ');
  }
  out.push('}');
}

function show(e: NExpr, out: string[]): void {
  switch (e.k) {
    case 'int':
      return void out.push(e.text);
    case 'float':
      return void out.push(showFloat(e.value));
    case 'string':
      return void out.push(showString(e.s));
    case 'path':
      return void out.push(e.s);
    case 'var':
      return void out.push(e.name);
    case 'pos':
      return void out.push('__curPos');
    case 'select':
      out.push('(');
      show(e.e, out);
      out.push(').');
      showPath(e.path, out);
      if (e.def) {
        out.push(' or (');
        show(e.def, out);
        out.push(')');
      }
      return;
    case 'hasattr':
      out.push('((');
      show(e.e, out);
      out.push(') ? ');
      showPath(e.path, out);
      return void out.push(')');
    case 'attrs':
      return showAttrs(e, out);
    case 'list':
      out.push('[ ');
      for (const x of e.elems) {
        out.push('(');
        show(x, out);
        out.push(') ');
      }
      return void out.push(']');
    case 'lambda':
      out.push('(');
      if (e.formals) {
        out.push('{ ');
        e.formals.forEach((f, i) => {
          if (i > 0) out.push(', ');
          out.push(f.name);
          if (f.def) {
            out.push(' ? ');
            show(f.def, out);
          }
        });
        if (e.ellipsis) out.push(e.formals.length > 0 ? ', ...' : '...');
        out.push(' }');
        if (e.arg !== null) out.push(' @ ');
      }
      if (e.arg !== null) out.push(e.arg);
      out.push(': ');
      show(e.body, out);
      return void out.push(')');
    case 'call':
      out.push('(');
      show(e.fn, out);
      for (const a of e.args) {
        out.push(' ');
        show(a, out);
      }
      return void out.push(')');
    case 'let':
      out.push('(let ');
      for (const [name, def] of e.attrs.attrs) {
        if (def.inherited) out.push('inherit ', showIdentifier(name), '; ');
        else {
          out.push(showIdentifier(name), ' = ');
          show(def.e, out);
          out.push('; ');
        }
      }
      out.push('in ');
      show(e.body, out);
      return void out.push(')');
    case 'with':
      out.push('(with ');
      show(e.attrs, out);
      out.push('; ');
      show(e.body, out);
      return void out.push(')');
    case 'if':
      out.push('(if ');
      show(e.c, out);
      out.push(' then ');
      show(e.t, out);
      out.push(' else ');
      show(e.e, out);
      return void out.push(')');
    case 'assert':
      out.push('assert ');
      show(e.c, out);
      out.push('; ');
      return show(e.body, out);
    case 'not':
      out.push('(! ');
      show(e.e, out);
      return void out.push(')');
    case 'op':
      out.push('(');
      show(e.l, out);
      out.push(` ${e.op} `);
      show(e.r, out);
      return void out.push(')');
    case 'concat':
      out.push('(');
      e.parts.forEach((p, i) => {
        if (i > 0) out.push(' + ');
        show(p, out);
      });
      return void out.push(')');
    case 'error':
      return void out.push('<error>');
  }
}
