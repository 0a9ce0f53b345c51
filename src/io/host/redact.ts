// Makes HostFacts safe to attach to a bug report: the user name, home
// directory and host name are replaced everywhere they occur.
import type { HostFacts } from './facts.js';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function redactFacts(facts: HostFacts): HostFacts {
  const { name, home, hostname } = facts.user;
  const rules: [RegExp, string][] = [];
  // Longest first: the home path usually contains the user name.
  if (home) rules.push([new RegExp(escapeRegExp(home), 'g'), '<home>']);
  if (name) rules.push([new RegExp(`(?<![\\w-])${escapeRegExp(name)}(?![\\w-])`, 'g'), '<user>']);
  if (hostname)
    rules.push([new RegExp(`(?<![\\w-])${escapeRegExp(hostname)}(?![\\w-])`, 'g'), '<host>']);
  const scrub = (value: unknown): unknown => {
    if (typeof value === 'string') return rules.reduce((s, [re, to]) => s.replace(re, to), value);
    if (Array.isArray(value)) return value.map(scrub);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v)]));
    }
    return value;
  };
  const redacted = scrub(facts) as HostFacts;
  redacted.user = { name: '<user>', home: '<home>', hostname: '<host>' };
  return redacted;
}
