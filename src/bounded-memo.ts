// A memo for pure functions of a string that are asked about the same short
// texts (names, addresses) again and again. Bounded: the repository scanned
// decides how many distinct texts there are, so past `limit` the memo starts
// over rather than grow with it.
export function boundedMemo<T>(fn: (key: string) => T, limit: number): (key: string) => T {
  const seen = new Map<string, T>();
  return (key) => {
    const known = seen.get(key);
    // One lookup for the common case; `has` only for an answer of undefined.
    if (known !== undefined || seen.has(key)) return known as T;
    const value = fn(key);
    if (seen.size >= limit) seen.clear();
    seen.set(key, value);
    return value;
  };
}
