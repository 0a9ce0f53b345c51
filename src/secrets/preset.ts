// secretlint's recommended rule preset, driven synchronously. The preset's
// rules only need a context that records reports; running them directly
// (instead of @secretlint/core's async lintSource) lets extract's pure,
// synchronous rules use them, and costs one pass per rule over the text.
// The comment-filter rule is left out on purpose: a comment in a file must
// not be able to switch off the leak gates.
import { rules } from '@secretlint/secretlint-rule-preset-recommend';
import type {
  SecretLintRuleContext,
  SecretLintRuleReportHandler,
  SecretLintSourceCode,
} from '@secretlint/types';
import type { RawHit } from './finding.js';
import type { Gate, Gated, Packed, Present } from './needles.js';
import { candidates, gated, literal, packed, passes, word } from './needles.js';

const PREFIX = '@secretlint/secretlint-rule-';
const SKIPPED = new Set(['filter-comments']);

interface LoadedRule {
  id: string;
  applies: Packed;
  handler: SecretLintRuleReportHandler;
  hits: RawHit[];
}

// The preset's messages embed the secret, so the kind is named here, by rule.
const KINDS: Record<string, string> = {
  aws: 'AWS secret access key',
  npm: 'npm token',
  slack: 'Slack token',
  basicauth: 'password in a URL',
  openai: 'OpenAI API key',
  anthropic: 'Anthropic API key',
  groq: 'Groq API key',
  huggingface: 'Hugging Face token',
  linear: 'Linear API key',
  notion: 'Notion token',
  privatekey: 'private key',
  sendgrid: 'SendGrid API key',
  shopify: 'Shopify token',
  github: 'GitHub token',
  gitlab: 'GitLab token',
  grafana: 'Grafana token',
  '1password': '1Password service account token',
  'database-connection-string': 'database connection string with a password',
  'hashicorp-vault': 'HashiCorp Vault token',
  vercel: 'Vercel token',
  databricks: 'Databricks token',
  docker: 'Docker Hub token',
  figma: 'Figma token',
};

// Text every hit of a rule contains (read off the preset's own patterns):
// most files hold none, and needles.ts finds them all in one pass, far
// cheaper than the rules' unicode regular expressions. A rule not listed
// here always runs.
const has = (...texts: string[]): Gate => texts.map((t) => [literal(t)]);
const folded = (...texts: string[]): Gate => texts.map((t) => [word(t)]);
const both = (a: Gate, b: Gate): Gate => a.flatMap((x) => b.map((y) => [...x, ...y]));
const either = (a: Gate, b: Gate): Gate => [...a, ...b];
const ALWAYS: Gate = [[]];
const NEVER: Gate = [];
const GATES: Record<string, Gate> = {
  // (?:SECRET|secret|Secret)_?(?:ACCESS|access|Access)_?(?:KEY|key|Key)
  aws: both(folded('secret'), folded('access')),
  // Only .p12 and .json files, by extension: sources here have none.
  gcp: NEVER,
  npm: has('npm_', '_authToken', 'x-oauth-basic@'),
  // (xoxb|xoxp|xapp|xoxa|xoxo|xoxr)- tokens; https://hooks.slack.com/ (any case) webhooks
  slack: either(
    has('xoxb-', 'xoxp-', 'xapp-', 'xoxa-', 'xoxo-', 'xoxr-'),
    both(has('://'), folded('hooks.slack.com')),
  ),
  // scheme://user:password@host
  basicauth: both(has('://'), has('@')),
  openai: has('T3BlbkFJ'),
  anthropic: has('sk-ant-'),
  groq: has('gsk_'),
  huggingface: has('hf_'),
  linear: has('lin_api_'),
  notion: has('ntn_'),
  privatekey: has('PRIVATE KEY'),
  sendgrid: has('SG.'),
  shopify: has('shppa_', 'shpca_', 'shpat_', 'shpss_'),
  // (ghp|gho|ghu|ghs|ghr)_ and github_pat_
  github: has('ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'),
  gitlab: has('glpat-'),
  grafana: has('glc_', 'glsa_'),
  '1password': has('ops_'),
  // mongodb(+srv)://, (jdbc:)mysql(x)://, postgres(ql)://, in any case: the
  // scheme, not `://` alone (in a third of the files), gates its three patterns.
  'database-connection-string': folded(
    'mongodb://',
    'mongodb+srv://',
    'mysql://',
    'mysqlx://',
    'postgres://',
    'postgresql://',
  ),
  // Each prefix is looked for alone: `hv` first, in one pass, answers most texts.
  'hashicorp-vault': both(has('hv'), has('hvs.', 'hvb.', 'hvr.')),
  vercel: has('vcp_', 'vci_', 'vca_', 'vcr_', 'vck_'),
  databricks: has('dapi'),
  docker: has('dckr_pat_'),
  figma: has('figd_'),
};

function kindOf(id: string, messageId: string): string {
  // Slack's webhook URL is its own kind of secret.
  if (id === 'slack' && /webhook/i.test(messageId)) return 'Slack webhook URL';
  return KINDS[id] ?? `secretlint ${id}`;
}

function load(): LoadedRule[] {
  const loaded: LoadedRule[] = [];
  for (const rule of rules) {
    const id = rule.meta.id.startsWith(PREFIX) ? rule.meta.id.slice(PREFIX.length) : rule.meta.id;
    if (SKIPPED.has(id) || rule.meta.type !== 'scanner') continue;
    const hits: RawHit[] = [];
    const context: SecretLintRuleContext = {
      sharedOptions: {},
      createTranslator: () => (messageId) => ({
        message: '',
        messageId: String(messageId),
        data: undefined,
      }),
      report: (d) =>
        hits.push({
          rule: id,
          kind: kindOf(id, d.message.messageId),
          start: d.range[0],
          end: d.range[1],
        }),
      ignore: () => undefined,
    };
    loaded.push({
      id,
      applies: packed(GATES[id] ?? ALWAYS),
      handler: rule.create(context, {}),
      hits,
    });
  }
  return loaded;
}

let cache: Gated<LoadedRule> | null = null;

function source(content: string): SecretLintSourceCode {
  return {
    hasBOM: false,
    content,
    filePath: undefined,
    physicalFilePath: undefined,
    contentType: 'text',
    ext: '',
    getFilePath: () => undefined,
    getPhysicalFilePath: () => undefined,
    locationToRange: () => [0, 0],
    rangeToLocation: () => ({ start: { line: 1, column: 0 }, end: { line: 1, column: 0 } }),
    positionToIndex: () => 0,
    indexToPosition: () => ({ line: 1, column: 0 }),
  };
}

/**
 * Every hit of the preset's text rules in `text`, appended to `out`
 * (returned); `present`: the needles it holds.
 */
export function presetHits(text: string, present: Present, out: RawHit[] = []): RawHit[] {
  cache ??= gated(load(), (r) => r.applies);
  const rules = candidates(cache, present);
  let src: SecretLintSourceCode | null = null;
  for (const rule of rules) {
    if (!passes(rule.applies, present)) continue;
    src ??= source(text);
    rule.hits.length = 0;
    // With no file path and no .p12/.json extension every rule is synchronous;
    // a rule that returned a promise would be a new preset version: say so.
    const pending = rule.handler.file?.(src);
    if (pending instanceof Promise) {
      throw new Error(
        `secretlint rule ${rule.id} became asynchronous; update src/secrets/preset.ts`,
      );
    }
    for (const h of rule.hits) out.push(h);
  }
  return out;
}

/** Short ids of the preset rules in use (for docs and tests). */
export function presetRuleIds(): string[] {
  cache ??= gated(load(), (r) => r.applies);
  return cache.items.map((r) => r.id);
}
