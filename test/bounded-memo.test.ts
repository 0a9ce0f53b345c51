import { describe, expect, it } from 'vitest';
import { boundedMemo } from '../src/bounded-memo.js';

describe('boundedMemo', () => {
  it('asks the function once per text, and keeps falsy answers too', () => {
    const asked: string[] = [];
    const memo = boundedMemo((s: string) => {
      asked.push(s);
      return s.length > 3;
    }, 10);
    expect([memo('ab'), memo('abcd'), memo('ab'), memo('abcd')]).toEqual([
      false,
      true,
      false,
      true,
    ]);
    expect(asked).toEqual(['ab', 'abcd']);
  });

  it('past its limit starts over, and still answers right', () => {
    const asked: string[] = [];
    const memo = boundedMemo((s: string) => {
      asked.push(s);
      return s.toUpperCase();
    }, 2);
    for (const s of ['a', 'b', 'c', 'a']) expect(memo(s)).toBe(s.toUpperCase());
    // 'c' found the memo full ('a', 'b'): it was cleared, so 'a' is asked again.
    expect(asked).toEqual(['a', 'b', 'c', 'a']);
  });
});
