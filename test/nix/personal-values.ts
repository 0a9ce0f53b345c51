// A small scanner for personal values in shareable Nix code: e-mail
// addresses, home directories with a literal user name, and user names
// assigned to the options that usually carry them. FIELD-NOTES.md lists
// each of these as a leak a real team shipped to colleagues.

export interface Finding {
  file: string;
  line: number;
  kind: string;
  text: string;
}

// Generic accounts that name no person ('crossflake-user' is the templates'
// placeholder user, which `crossflake init` replaces).
const genericUsers = new Set([
  'nixos',
  'root',
  'builder',
  'admin',
  'user',
  'crossflake-check',
  'crossflake-user',
]);

// Documentation domains (RFC 2606) and the ssh user of git hosts.
const allowedEmail = (m: string): boolean =>
  /@example\.(com|org|net)$/i.test(m) || /^git@/i.test(m);

interface Rule {
  kind: string;
  pattern: RegExp;
  /** The personal part of a match, or null when the match is harmless. */
  personal: (m: RegExpExecArray) => string | null;
}

const rules: Rule[] = [
  {
    kind: 'e-mail address',
    pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g,
    personal: (m) => (allowedEmail(m[0]) ? null : m[0]),
  },
  {
    kind: 'Windows home path',
    pattern:
      /\/mnt\/[a-z]\/Users\/([A-Za-z0-9._-]+)|[A-Za-z]:\\{1,2}Users\\{1,2}([A-Za-z0-9._-]+)/g,
    personal: (m) => {
      const name = m[1] ?? m[2] ?? '';
      return ['Public', 'Default'].includes(name) ? null : m[0];
    },
  },
  {
    kind: 'home directory',
    // Absolute paths only (not ./modules/home/x.nix), and not /mnt/c/Users:
    // that is the Windows rule's match.
    pattern: /(?<![\w./-])\/(?:home|Users)\/([A-Za-z0-9._-]+)/g,
    personal: (m) => (genericUsers.has(m[1] ?? '') ? null : m[0]),
  },
  {
    kind: 'user name',
    pattern:
      /\b(defaultUser|primaryUser|userName|username|autologinUser|user\.name|name)\s*=\s*"([^"$\\]+)"/g,
    personal: (m) => {
      // `name = "..."` is everywhere (packages, shells): only flag it on
      // lines that are about users.
      if (m[1] === 'name' && !/user/i.test(m.input)) return null;
      return genericUsers.has(m[2] ?? '') ? null : m[0];
    },
  },
  {
    kind: 'user account',
    pattern: /users\.users\.("?)([a-z_][a-z0-9_-]*)\1\s*[.={]/g,
    personal: (m) => (genericUsers.has(m[2] ?? '') ? null : m[0]),
  },
];

/** Scans one file's text, line by line. */
export function scanText(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  text.split('\n').forEach((lineText, index) => {
    for (const rule of rules) {
      for (const m of lineText.matchAll(rule.pattern)) {
        const exec = Object.assign(m, { input: lineText }) as RegExpExecArray;
        const personal = rule.personal(exec);
        if (personal !== null) {
          findings.push({ file, line: index + 1, kind: rule.kind, text: personal });
        }
      }
    }
  });
  return findings;
}

export function formatFindings(findings: Finding[]): string {
  return findings.map((f) => `${f.file}:${f.line}: ${f.kind}: ${f.text}`).join('\n');
}
