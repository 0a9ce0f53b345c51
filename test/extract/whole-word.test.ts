// hasWholeWord (rules/personal-identifiers.ts) answers what the rule's word
// regex answers, whether a learned identifier appears as a whole word, with
// indexOf instead of the regex: held to the regex on texts made to meet
// every edge (a word at either end, next to each kind of character, inside
// a longer word, one word inside another).
import { describe, expect, it } from 'vitest';
import { hasWholeWord, wordRegex } from '../../src/extract/rules/personal-identifiers.js';
import { mayNameReference } from '../../src/extract/rules/secret-references.js';

const WORDS = ['ab', 'abc', 'b-c', 'x.y', 'Bob Work', 'a_b', '9z'];
const JOINERS = ['', ' ', '_', '-', '.', '/', '@', 'a', 'Z', '0', '"', '\n', '\u00e9'];

function regexAnswer(text: string, words: string[]): boolean {
  const re = wordRegex(words)!;
  re.lastIndex = 0;
  return re.test(text);
}

/** A small deterministic generator, so a failure can be replayed. */
function* texts(seed: number, count: number): Generator<string> {
  let s = seed;
  const next = (n: number): number => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s % n;
  };
  const parts = [...WORDS, ...JOINERS, 'abcd', 'xab', 'b-cd', 'Bob Worker'];
  for (let i = 0; i < count; i++) {
    let t = '';
    for (let k = next(6); k >= 0; k--) t += parts[next(parts.length)];
    yield t;
  }
}

describe('hasWholeWord', () => {
  it('agrees with the word regex on every word between every pair of joiners', () => {
    for (const w of WORDS)
      for (const before of JOINERS)
        for (const after of JOINERS) {
          const text = `${before}${w}${after}`;
          for (const words of [[w], WORDS, ['abc', 'ab']])
            expect(hasWholeWord(text, words), JSON.stringify([text, words])).toBe(
              regexAnswer(text, words),
            );
        }
  });

  it('agrees with it on 20,000 generated texts, with one word list and with each word alone', () => {
    let found = 0;
    for (const text of texts(20261208, 20_000)) {
      const answer = regexAnswer(text, WORDS);
      expect(hasWholeWord(text, WORDS), JSON.stringify(text)).toBe(answer);
      if (answer) found++;
      const w = WORDS[text.length % WORDS.length]!;
      expect(hasWholeWord(text, [w]), JSON.stringify([text, w])).toBe(regexAnswer(text, [w]));
    }
    // Both answers are common, so the comparison means something.
    expect(found).toBeGreaterThan(2_000);
    expect(found).toBeLessThan(18_000);
  });

  it('an empty word is found where neither side is a word character, as by the regex', () => {
    for (const text of ['', 'a', 'ab', 'a b', '-', 'a-', '_x_'])
      expect(hasWholeWord(text, ['']), JSON.stringify(text)).toBe(regexAnswer(text, ['']));
  });

  it('a word that only appears inside longer words is not found, one that also appears alone is', () => {
    expect(hasWholeWord('abcd xab ab_c', ['ab'])).toBe(false);
    expect(hasWholeWord('abcd xab ab', ['ab'])).toBe(true);
  });
});

describe('mayNameReference', () => {
  it('takes every name that ends as /(?:file|path|command|cmd)s?$/i says, of 20,000 generated names', () => {
    const re = /(?:file|path|command|cmd)s?$/i;
    // Letters of the endings in either case, their neighbours in the code
    // table (bit 0x20 away), and characters whose case maps onto ASCII.
    const parts = [
      'file',
      'FILE',
      'Path',
      'command',
      'CmD',
      's',
      'S',
      'e',
      'x',
      '_',
      '-',
      '@',
      'P',
      '\u212a',
      '\u017f',
      'fi',
      'le',
      'cmds',
      'paths',
    ];
    let s = 20261208;
    let found = 0;
    let refused = 0;
    for (let i = 0; i < 20_000; i++) {
      let name = '';
      for (let k = (s = (s * 1103515245 + 12345) & 0x7fffffff) % 4; k >= 0; k--)
        name += parts[(s = (s * 1103515245 + 12345) & 0x7fffffff) % parts.length];
      if (re.test(name)) {
        expect(mayNameReference(name), JSON.stringify(name)).toBe(true);
        found++;
      } else if (!mayNameReference(name)) refused++;
    }
    // Both answers are common, so the test means something.
    expect(found).toBeGreaterThan(2_000);
    expect(refused).toBeGreaterThan(2_000);
    for (const name of ['passwordFile', 'environmentFiles', 'sshKeyPaths', 'passCmd', 'fileS'])
      expect(mayNameReference(name), name).toBe(true);
    for (const name of ['', 's', 'S', 'ss', 'port', 'files_', 'ſ', 'pathſ'])
      expect(mayNameReference(name), name).toBe(false);
  });
});
