// How rare each printable ASCII character is in Nix code, counted over the
// .nix files of ../shared/upstream. Searches that look for a text from its
// rarest character use it (the secret detector's needles, the learned
// identifiers of extract): only their speed depends on this order.

/** Printable ASCII, from the rarest to the most common character. */
export const RARITY =
  '^~Q%@ZJY?X<K|798q&j\\*V5UW4G6!zH+B>3RML2FN1DC_E#,P0][$IAT()SO`:w/-xv\'}{kybh;"=dfgum.cplroasnite ';

const RANK = new Int16Array(128).fill(-1);
for (let i = 0; i < RARITY.length; i++) RANK[RARITY.charCodeAt(i)] = i;

/**
 * Character code `c`'s place in RARITY (lower is rarer); -1, rarer than any,
 * for a character Nix code has none of (a control character, beyond ASCII).
 */
export function rarityRank(c: number): number {
  return c < 128 ? RANK[c]! : -1;
}
