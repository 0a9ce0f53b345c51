// user@host written inside a string: a flake reference to one of the
// person's configurations (`--flake ~/src/cfg#tim@laptop`), an ssh, scp or
// rsync target (`ssh tim@nas`, `sftp:backup@nas:/srv`), the comment of an
// SSH key (`ssh-ed25519 AAAA... tim@laptop`). Each names one of the person's
// machines, whether or not the repository configures it, so the evidence
// names the host.
import { Buffer } from 'node:buffer';
import type { FileContext } from '../context.js';
import type { Evidence, Identifiers } from '../model.js';
import { suggestOption } from '../options.js';
import { isPlaceholder } from '../placeholders.js';
import { matches, offsetIn, type Rule } from './rule.js';

const USER_AT_HOST =
  /(?<![\w.%+@-])([a-z_][a-z0-9_.-]*)@([A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*)(?![\w@-])/g;
// What may stand before user@host in the same text for it to be a login on a machine.
const SSH_CONTEXT =
  /(?:\b(?:ssh|scp|sftp|rsync|mosh|sshfs|autossh)\b[^;|&\n"']*\s|--(?:target|build)-host[= ]|\b(?:ssh|sftp|rsync|ssh-ng):(?:\/\/)?|ssh-(?:ed25519|rsa|dss) \S+ |ecdsa-sha2-nistp\d+ \S+ )$/;
// Services everybody logs into with a generic user: no machine of the person's.
const PUBLIC_HOSTS =
  /^(?:github\.com|gitlab\.com|bitbucket\.org|codeberg\.org|git\.sr\.ht|ssh\.dev\.azure\.com|vs-ssh\.visualstudio\.com|heroku\.com)$/i;
const GENERIC_USERS = new Set(['git', 'aur', 'hg']);
// systemd template units (`getty@tty1.service`) look like user@host.
const UNIT = /^[^.]+\.(?:service|socket|target|timer|mount|path|slice|scope|device)$/;

/** Whether user@host at `index` of `text` is a login on a machine (not an e-mail, not a unit). */
export function isLoginAt(text: string, index: number, host: string): boolean {
  if (text[index - 1] === '#') return true; // a flake output: `.#tim@laptop`
  if (UNIT.test(host)) return false;
  return SSH_CONTEXT.test(text.slice(Math.max(0, index - 80), index));
}

function hostOf(host: string): string {
  // `nas:/srv/restic` and `nas.lan` both name the machine nas.
  return host.replace(/:.*$/, '');
}

function login(ctx: FileContext, text: string, index: number, user: string, host: string): boolean {
  if (GENERIC_USERS.has(user) || PUBLIC_HOSTS.test(host)) return false;
  if (isPlaceholder(host) || isPlaceholder(user) || isPlaceholder(`${user}@${host}`)) return false;
  return isLoginAt(text, index, host) || ctx.repo.identifiers.hosts.includes(host);
}

// The learned host names as byte strings (as sources are), made once per
// run rather than for every file asked.
const hostsAsBytes = new WeakMap<Identifiers, string[]>();

function hostBytes(ids: Identifiers): string[] {
  let hosts = hostsAsBytes.get(ids);
  if (hosts === undefined) {
    hosts = ids.hosts.map((h) => Buffer.from(h, 'utf8').toString('latin1'));
    hostsAsBytes.set(ids, hosts);
  }
  return hosts;
}

export const userAtHost: Rule = {
  id: 'user-at-host',
  summary:
    'user@host in strings: flake references (#user@host), ssh/scp/rsync targets, SSH key comments',
  check(ctx) {
    const out: Evidence[] = [];
    for (const [piece, m] of matches(ctx, USER_AT_HOST, ['string'], '@')) {
      const user = m[1]!;
      const host = hostOf(m[2]!);
      if (!login(ctx, piece.text, m.index, user, host)) continue;
      const start = offsetIn(piece, m.index);
      const hostAt = offsetIn(piece, m.index + user.length + 1);
      out.push(
        ctx.evidence(
          this.id,
          'personal',
          start,
          offsetIn(piece, m.index + m[0].length),
          `${user}@${host} (host ${host})`,
          {
            option: suggestOption('host', ctx.bindingAt(start)),
            value: host,
            start: hostAt,
          },
        ),
      );
    }
    return out;
  },
  // Only a learned host name written in the file can turn a match into a login.
  usesIdentifiers(source, ids) {
    if (!source.includes('@')) return false;
    const hosts = hostBytes(ids);
    for (let i = 0; i < hosts.length; i++) if (source.includes(hosts[i]!)) return true;
    return false;
  },
};
