import { describe, expect, it } from 'vitest';
import { RARITY, rarityRank } from '../src/char-rarity.js';

describe('char rarity', () => {
  it('ranks every printable ASCII character once', () => {
    const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
    expect([...RARITY].sort()).toEqual(printable.sort());
    for (const c of printable) expect(rarityRank(c.charCodeAt(0))).toBe(RARITY.indexOf(c));
  });

  it('puts a character Nix code has none of before all others', () => {
    expect(rarityRank(0x0a)).toBe(-1);
    expect(rarityRank('é'.charCodeAt(0))).toBe(-1);
    expect(rarityRank('^'.charCodeAt(0))).toBe(0);
  });
});
