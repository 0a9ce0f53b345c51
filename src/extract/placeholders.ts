// Placeholder values and template trees: what a template or a README-style
// example writes where a person's own value goes (`myuser`, `my-mac`,
// `your-email@example.com`, `Your Name`). They are holes to fill, not
// anybody's identity, so no rule may count them as personal or as a host.

// my-user, your_username, myhost, your-laptop, my-mac ...
const MY_THING =
  /^(?:my|your)[-_.]?(?:user(?:name)?|name|login|host(?:name)?|machine|computer|mac|macbook|laptop|desktop|pc|server|box|vm|wsl|email|mail|domain|org|company|key)$/i;
// Written-out placeholders: Your Name, John Doe, <username>, CHANGEME ...
const WORDS =
  /^(?:your name|your full name|full name|john doe|jane doe|first last|firstname lastname)$/i;
const BRACKETED = /^(?:<[^<>]+>|\{\{[^{}]+\}\}|@[A-Z_]+@|__[A-Z_]+__)$/;
const CHANGE_ME = /^(?:change[-_]?me|replace[-_]?me|todo|fixme|xxx+|username|hostname)$/i;
// Reserved documentation domains (RFC 2606) with a placeholder local part.
const EMAIL = /^([^@\s]+)@(?:[a-z0-9-]+\.)*(example\.(?:com|org|net)|example|invalid|test)$/i;
const EMAIL_LOCAL =
  /^(?:you|your[-_.]?(?:e?mail|name|address)|user|name|email|first\.last|john\.doe|jane\.doe|someone|somebody)$/i;

export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (MY_THING.test(v) || WORDS.test(v) || BRACKETED.test(v) || CHANGE_ME.test(v)) return true;
  const m = EMAIL.exec(v);
  if (m) return EMAIL_LOCAL.test(m[1]!) || isPlaceholder(m[1]!);
  return false;
}

/** A file of a repo's own templates tree (`templates/<name>/...`): a template, whoever wrote it. */
export function inTemplates(path: string): boolean {
  return /(?:^|\/)templates\//.test(path);
}
