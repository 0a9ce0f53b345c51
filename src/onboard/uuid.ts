// Name-based UUIDs (version 5, SHA-1; RFC 9562 section 5.5) the way Windows
// Terminal makes them: the name is hashed as UTF-16LE, not UTF-8 (a UTF-8
// version gives different, wrong GUIDs; see FIELD-NOTES.md).
import { createHash } from 'node:crypto';

const UUID = /^\{?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})\}?$/i;

/**
 * Windows Terminal's namespace for the profiles its own generators make
 * (TERMINAL_PROFILE_NAMESPACE_GUID in microsoft/terminal,
 * src/cascadia/TerminalSettingsModel/DynamicProfileUtils / DefaultProfileUtils.h).
 * Its WSL generator names each profile after the distro, so a distro's
 * generated profile is v5(this, distro name).
 */
export const TERMINAL_PROFILE_NAMESPACE = '2bde4a90-d05f-401c-9492-e40884ead1d8';

/**
 * Windows Terminal's namespace for profiles that arrive without a GUID, such
 * as fragment profiles (RUNTIME_GENERATED_PROFILE_NAMESPACE_GUID in
 * microsoft/terminal, src/cascadia/TerminalSettingsModel/Profile.h): the
 * source (a fragment's app folder name) is hashed into it first.
 */
export const RUNTIME_PROFILE_NAMESPACE = 'f65ddb7e-706b-4499-8a50-40313caf510a';

export function uuidBytes(uuid: string): Buffer {
  const m = UUID.exec(uuid.trim());
  if (!m) throw new Error(`not a UUID: '${uuid}'`);
  return Buffer.from(m.slice(1).join(''), 'hex');
}

export function formatUuid(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** UUIDv5 of `name` (encoded as UTF-16LE) in `namespace`; lowercase, no braces. */
export function uuidV5Utf16(namespace: string, name: string): string {
  const digest = createHash('sha1')
    .update(uuidBytes(namespace))
    .update(Buffer.from(name, 'utf16le'))
    .digest();
  const bytes = digest.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return formatUuid(bytes);
}

/** `{xxxxxxxx-...}`: how Terminal's settings and the registry write a GUID. */
export function braced(uuid: string): string {
  return `{${formatUuid(uuidBytes(uuid))}}`;
}
