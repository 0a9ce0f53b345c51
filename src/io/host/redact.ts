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
  const config = redacted.nix === 'unknown' ? null : redacted.nix.config;
  if (config && config !== 'unknown') config.builders = redactBuilders(config.builders);
  redacted.user = { name: '<user>', home: '<home>', hostname: '<host>' };
  return redacted;
}

/**
 * Remote builder host names are the company's machines: each machine's
 * address (the first field of an entry of nix's `builders` setting, entries
 * split by newline or `;`) becomes `<builder-N>`, keeping its scheme; the
 * systems, key path and features stay, they say what the builder can do.
 */
export function redactBuilders(spec: string): string {
  let n = 0;
  return spec
    .split(/([;\n])/)
    .map((entry) =>
      entry.replace(
        /^(\s*)(?:([a-z][a-z0-9+.-]*):\/\/)?(\S+)/i,
        (whole, space: string, scheme?: string, host?: string) => {
          if (entry === ';' || entry === '\n' || !host || host.startsWith('@')) return whole;
          n++;
          return `${space}${scheme ? `${scheme}://` : ''}<builder-${n}>`;
        },
      ),
    )
    .join('');
}
