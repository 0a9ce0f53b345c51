// The rules search a file's literal pieces through rule.ts, which decodes a
// piece only when a search can find something in it (a needle every match
// contains, a length bound). These tests hold the fast paths to the plain
// search over every decoded piece.
import { describe, expect, it } from 'vitest';
import { FileContext, optionStart, type RepoFacts } from '../../src/extract/context.js';
import { RULES, type Rule } from '../../src/extract/rules/index.js';
import {
  literalText,
  matches,
  pieces,
  shortStrings,
  shortStringText,
  type Piece,
} from '../../src/extract/rules/rule.js';
import { scanNixFiles } from '../../src/io/nix-files.js';
import type { BoundPath } from '../../src/nixlang/visit.js';
import { parseNix } from '../../src/nixlang/index.js';
import { fixtureDir, REPOS } from './corpus.js';

const REPO: RepoFacts = {
  identifiers: { users: [], hosts: [], emails: [], domains: [], names: [], extra: [] },
  moduleTargets: new Set(),
  exports: [],
};

function context(source: string | Uint8Array): FileContext {
  const tree = parseNix(source, { check: false });
  return new FileContext({ path: 'm.nix', bytes: tree.source.length, tree }, REPO);
}

/** Every match in every decoded piece of the given kinds: what `matches` must give. */
function plain(ctx: FileContext, re: RegExp, kinds: Piece['kind'][]): string[] {
  const out: string[] = [];
  for (const p of pieces(ctx)) {
    if (!kinds.includes(p.kind)) continue;
    re.lastIndex = 0;
    for (let m = re.exec(p.text); m; m = re.exec(p.text)) out.push(`${p.start}:${m.index}:${m[0]}`);
  }
  return out;
}

function fast(
  ctx: FileContext,
  re: RegExp,
  kinds: Piece['kind'][],
  needle?: string | string[],
): string[] {
  return matches(ctx, re, kinds, needle).map(([p, m]) => `${p.start}:${m.index}:${m[0]}`);
}

const SOURCE = [
  'args@{ lib, ... }: let mail = "tim@example.org"; in {',
  '  "x@y" = ./run/secrets/a.age;',
  '  note = "café tim@host.lan, ${mail} and ops@nas.lan";',
  "  text = ''",
  '    ssh  tim@nas  /run/secrets/tok',
  '    ${"inner@a.b"} résumé key.age',
  "  '';",
  '  path = /run/agenix/k.age;',
  '}',
].join('\n');

describe('rule pieces: the fast search finds what a search of every piece finds', () => {
  const cases: [string, RegExp, Piece['kind'][], string | string[]][] = [
    ['@ in strings', /[\w.]+@[\w.]+/g, ['string'], '@'],
    ['@ in every kind', /\w*@\w*/g, ['string', 'path', 'name'], '@'],
    ['/run/ in strings and paths', /\/run\/\w+\/[\w.]*/g, ['string', 'path'], '/run/'],
    ['.age in strings and paths', /[\w/.-]+?\.age\b/g, ['string', 'path'], '.age'],
    ['either of two needles', /\/run\/\w+|\w+\.age/g, ['string', 'path'], ['/run/', '.age']],
  ];
  for (const [name, re, kinds, needle] of cases) {
    it(`with a needle: ${name}`, () => {
      const ctx = context(SOURCE);
      const want = plain(ctx, re, kinds);
      expect(want.length).toBeGreaterThan(1);
      expect(fast(context(SOURCE), re, kinds, needle)).toEqual(want);
      // and without one, as the regex alone decides
      expect(fast(context(SOURCE), re, kinds)).toEqual(want);
    });
  }

  it('a needle that is nowhere in the file finds nothing, and one in no piece of the kinds nothing', () => {
    expect(fast(context(SOURCE), /x/g, ['string'], '#nowhere#')).toEqual([]);
    // `args@{` holds an @ outside every piece.
    expect(fast(context('args@{ a, ... }: { b = "c"; }'), /@/g, ['string'], '@')).toEqual([]);
  });

  it('without a needle: patterns that the text of all pieces decides, and anchored ones it cannot', () => {
    const src = '{ a = "x foo"; b = "foo y"; c = ./foo; d = "bar\\$o"; e = "[^x]o"; foo = 1; }';
    const cases: [RegExp, Piece['kind'][]][] = [
      [/\bfoo\b/g, ['string', 'path']],
      [/(?<![\w.])foo/g, ['string']],
      // Anchored at the start or end of a piece: the joined text has those only once.
      [/^foo/g, ['string']],
      [/o$/g, ['string', 'path']],
      // An escaped $ and a ^ inside a class anchor nothing.
      [/\$o|[^x]o/g, ['string']],
      [/foo/g, ['string', 'path', 'name']],
    ];
    for (const [re, kinds] of cases) {
      const want = plain(context(src), re, kinds);
      expect(want.length).toBeGreaterThan(0);
      expect(fast(context(src), re, kinds)).toEqual(want);
    }
  });

  it('the text of all pieces is their decoded texts joined, whatever bytes end or start a piece', () => {
    // Strings that end in the middle of a UTF-8 sequence, start with a lone
    // continuation byte, and hold valid two- and three-byte characters.
    const parts = [
      [0x7b, 0x20, 0x61, 0x20, 0x3d, 0x20, 0x22, 0x61, 0xc3, 0x22, 0x3b],
      [0x20, 0x62, 0x20, 0x3d, 0x20, 0x22, 0xa9, 0x62, 0xe2, 0x82, 0x22, 0x3b],
      [0x20, 0x63, 0x20, 0x3d, 0x20, 0x22, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0x22, 0x3b],
      [0x20, 0x64, 0x20, 0x3d, 0x20, 0x2e, 0x2f, 0x70, 0x3b, 0x20, 0x7d],
    ];
    const ctx = context(Uint8Array.from(parts.flat()));
    const want = pieces(ctx)
      .filter((p) => p.kind !== 'name')
      .map((p) => p.text);
    expect(want).toHaveLength(4);
    expect(want[0]).toBe('a\ufffd');
    expect(literalText(ctx)).toBe(want.join('\n'));
  });

  it('short strings: every string piece of at most the length, counted in characters', () => {
    // 40 two-byte characters: 82 bytes, 42 characters.
    const wide = `<${'é'.repeat(40)}>`;
    const long = 'x'.repeat(81);
    const src = `{ a = "${wide}"; b = "${long}"; c = "short \${x} tail"; d = ./p; e = "${'é'.repeat(81)}"; }`;
    const ctx = context(src);
    const want = pieces(ctx)
      .filter((p) => p.kind === 'string' && p.text.length <= 80)
      .map((p) => p.text);
    expect(want).toContain(wide);
    expect(shortStrings(context(src)).map((p) => p.text)).toEqual(want);
    // The text of all pieces starts with those that may be short strings (a
    // string of at most 80 bytes, or 240 not all ASCII), each of the others
    // after them, all in source order.
    const texts = pieces(ctx).filter((p) => p.kind !== 'name');
    const bytes = (p: Piece): number => p.end - p.start;
    const short = texts.filter(
      (p) =>
        p.kind === 'string' &&
        (bytes(p) <= 80 || (bytes(p) <= 240 && /[\u0080-\uffff]/.test(p.text))),
    );
    const others = texts.filter((p) => !short.includes(p));
    expect(others.map((p) => p.text)).toEqual([long, './p']);
    expect(short.map((p) => p.text)).toEqual([...want, 'é'.repeat(81)]);
    expect(shortStringText(ctx)).toBe(short.map((p) => p.text).join('\n'));
    expect(literalText(ctx)).toBe([...short, ...others].map((p) => p.text).join('\n'));
  });

  it('templates: a placeholder of more bytes than characters allowed is still one', () => {
    const rule = RULES.find((r) => r.id === 'templates') as Rule;
    const wide = `<${'é'.repeat(40)}>`;
    const ev = rule.check(context(`{ user = "${wide}"; }`));
    expect(ev.map((e) => e.text)).toEqual([`placeholder ${wide}`]);
  });

  it('an SSH key whose text lacks AAAA is found when the file holds AAAA elsewhere', () => {
    const rule = RULES.find((r) => r.id === 'personal-identifiers') as Rule;
    const src =
      '{ a = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFake"; b = "ssh-rsa B3NzaC1yc2EAAAADAQABAAAB"; }';
    expect(rule.check(context(src)).map((e) => e.text)).toEqual([
      'ssh-ed25519 AAAAC3NzaC1l...',
      'ssh-rsa B3NzaC1yc2EAAAAD...',
    ]);
  });

  it('hardware: every form of interface name passes the first test, as a name or in a string', () => {
    const rule = RULES.find((r) => r.id === 'hardware') as Rule;
    const forms = [
      'enp3s0',
      'enp0s31f6',
      'eno1',
      'ens3',
      'enx0123456789ab',
      'wlp2s0',
      'wwp0s20f0',
      'wlo1',
    ];
    for (const form of forms) {
      expect(
        rule.check(context(`{ networking.interfaces.${form}.useDHCP = true; }`)).map((e) => e.text),
      ).toEqual([form]);
      expect(rule.check(context(`{ x = "dev ${form} up"; }`)).map((e) => e.text)).toEqual([form]);
    }
    expect(rule.check(context('{ enable = true; x = "open 42"; }'))).toEqual([]);
  });

  it('hardware and secrets: every form of value their needles and hints stand for is found', () => {
    const hardware = RULES.find((r) => r.id === 'hardware') as Rule;
    // Space-separated: each holds no space.
    const values = [
      '3c:7c:3f:12:AB:cd ATTRS{serial}=="0001A2B3 ATTR{serial}=="X9 ID_SERIAL}=="Samsung_1',
      'ID_SERIAL_SHORT=="S3Z DP-1 eDP-2 HDMI-A-1 DVI-D-1 DVI-I-2 VGA-1',
    ].flatMap((line) => line.split(' '));
    for (const v of values) {
      expect(hardware.check(context(`{ x = ''a ${v} b''; }`)).map((e) => e.text)).toEqual([v]);
    }
    // Nearly a MAC address, nearly a connector: no evidence.
    expect(hardware.check(context('{ x = "12:30:4 3c:7c:3f:12:ab DP1 HDMI-D-1"; }'))).toEqual([]);
    const secrets = RULES.find((r) => r.id === 'secrets') as Rule;
    for (const blob of ['-----BEGIN AGE ENCRYPTED FILE-----', 'age-encryption.org/v1'])
      expect(secrets.check(context(`{ x = "a ${blob} b"; }`)).map((e) => e.text)).toEqual([
        '<age-encrypted blob, masked>',
      ]);
  });

  it('personal identifiers: learned words are found in names, strings and paths, ASCII or not', () => {
    const rule = RULES.find((r) => r.id === 'personal-identifiers') as Rule;
    const src =
      '{ alice.x = "to alice, not malice"; b = /home/x/alice; "zoë" = "zoë and bob"; c = "alice_"; }';
    for (const users of [['alice'], ['alice', 'zoë']]) {
      const ids = { ...REPO.identifiers, users };
      const ctx = new FileContext(context(src).file, { ...REPO, identifiers: ids });
      const want = users.includes('zoë')
        ? ['alice', 'alice', 'alice', 'zoë', 'zoë']
        : ['alice', 'alice', 'alice'];
      expect(rule.check(ctx).map((e) => e.text)).toEqual(want);
    }
  });

  it('on every file of the fixture repositories, each way of searching finds what the plain search finds', async () => {
    // The rules' own patterns and needles, and the order the pieces come in.
    const cases: [RegExp, Piece['kind'][], (string | string[])?][] = [
      [/[\w.%+-]+@[\w-]+(?:\.[\w-]+)*/g, ['string'], '@'],
      [/\w*@\w*/g, ['string', 'path', 'name'], '@'],
      [/(?:\/home\/|\/Users\/)[\w.-]+/g, ['string', 'path'], ['/home/', '/Users/']],
      [/\/run\/[\w/.-]*|[\w./-]+?\.age\b/g, ['string', 'path'], ['/run/', '.age']],
      [/\b(?:my|your)[-_]?(?:user|host)\w*|<[^<>\s][^<>]*>/gi, ['string']],
      [/\b[0-9a-f]{8}-[0-9a-f]{4}\b|\bwsl\b/gi, ['string', 'path']],
      [/(?:en|wl)p\d+s\d+|\bnixos\b/g, ['string', 'path', 'name']],
    ];
    let found = 0;
    for (const name of [...REPOS, 'shared']) {
      for (const file of await scanNixFiles(fixtureDir(name))) {
        const ctx = context(file.bytes);
        const nodes = ctx.index.pieces;
        for (let i = 1; i < nodes.length; i++)
          expect(nodes[i]!.start, file.path).toBeGreaterThanOrEqual(nodes[i - 1]!.end);
        for (const [re, kinds, needles] of cases) {
          const want = plain(ctx, re, kinds);
          found += want.length;
          expect(
            fast(context(file.bytes), re, kinds, needles),
            `${name}/${file.path} ${re}`,
          ).toEqual(want);
        }
      }
    }
    expect(found).toBeGreaterThan(100);
  });

  it('the binding around an offset: what a look at every binding finds, at every offset of every fixture file', async () => {
    // The smallest span around the offset, of equal ones the last.
    const plain = (ctx: FileContext, offset: number, ofValue: boolean): BoundPath | null => {
      let best: BoundPath | null = null;
      for (const b of ctx.bound) {
        const span = ofValue ? b.value : b.binding;
        if (!span || offset < span.start || offset >= span.end) continue;
        const size = span.end - span.start;
        if (
          !best ||
          size <=
            (ofValue ? best.value! : best.binding).end -
              (ofValue ? best.value! : best.binding).start
        )
          best = b;
      }
      return best;
    };
    const deep = `{ ${'a = { '.repeat(700)}x = 1; inherit y z; ${'}; '.repeat(700)} }`;
    const sources: [string, string | Uint8Array][] = [
      ['deep', deep],
      [
        'inherit',
        '{ inherit a b; c = { inherit (x) d e; f = [ { g = 1; } ] ++ [ "h" ]; }; i = let j = { k = 2; }; in j; }',
      ],
    ];
    for (const name of [...REPOS, 'shared'])
      for (const file of await scanNixFiles(fixtureDir(name)))
        sources.push([`${name}/${file.path}`, file.bytes]);
    let found = 0;
    for (const [where, source] of sources) {
      const ctx = context(source);
      for (let offset = -1; offset <= ctx.tree.source.length; offset++) {
        const value = plain(ctx, offset, true);
        const setting = plain(ctx, offset, false);
        expect(ctx.bindingAt(offset), `${where} ${offset}`).toBe(value);
        expect(ctx.settingAt(offset), `${where} ${offset}`).toBe(setting);
        if (value) found++;
      }
    }
    expect(found).toBeGreaterThan(10_000);
  });

  it('where an option path starts: the wrappers read as before, on every path of up to four segments and 20,000 longer ones', () => {
    const sets = new Set(
      'nixosModules homeModules darwinModules homeManagerModules flakeModules'.split(' '),
    );
    // The wrapper rules as first written: one test each, in order.
    const wrapper = (path: (string | null)[], at: number): number => {
      const [a, b, c] = [path[at], path[at + 1], path[at + 2]];
      const length = path.length - at;
      if (length > 1 && a === 'config') return 1;
      if (a === 'flake' && b === 'modules' && length > 4) return 4;
      if (a === 'flake' && b && sets.has(b) && length > 3) return 3;
      if (a && sets.has(a) && length > 2) return 2;
      if (a === 'home-manager' && b === 'users' && length > 3) return 3;
      if (a === 'specialisation' && c === 'configuration' && length > 3) return 3;
      return 0;
    };
    const start = (path: (string | null)[]): number => {
      let at = 0;
      for (let k = wrapper(path, 0); k > 0; k = wrapper(path, at)) at += k;
      return at;
    };
    const segments = [
      'config',
      'flake',
      'modules',
      'nixosModules',
      'homeModules',
      'home-manager',
      'users',
      'specialisation',
      'configuration',
      'x',
      '',
      null,
    ];
    const paths: (string | null)[][] = [[]];
    for (let n = 1; n <= 4; n++)
      for (const p of paths.filter((q) => q.length === n - 1))
        for (const g of segments) paths.push([...p, g]);
    let seed = 20261208;
    const next = (k: number): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % k;
    for (let i = 0; i < 20_000; i++)
      paths.push(Array.from({ length: 5 + next(6) }, () => segments[next(segments.length)]!));
    let wrapped = 0;
    for (const path of paths) {
      expect(optionStart(path), JSON.stringify(path)).toBe(start(path));
      if (start(path) > 0) wrapped++;
    }
    expect(wrapped).toBeGreaterThan(5_000);
  });
});
