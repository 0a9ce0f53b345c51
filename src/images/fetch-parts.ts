// Fetching a file that the release published in numbered parts: each part is
// downloaded (resuming) and verified against SHA256SUMS, then appended to one
// file while the whole file's SHA-256 is computed, and that file is renamed
// into place only when the digest matches the manifest's. Parts are joined as
// they come, so the disk holds the joined bytes and one part, not two copies.
// Everything in between lives in a folder beside the target with a record of
// how many parts are joined: an interrupted fetch run again goes on from
// there (a part appended but not recorded is cut off again).
import { createHash, type Hash } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { mkdir, open, readFile, rm, rmdir, stat, truncate } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { EXIT, UserError } from '../command.js';
import { commitTemp, hashFile, writeFileAtomic } from '../io/files.js';
import { ChecksumMismatch, download, hashPrefix, partialPathFor } from '../io/net/download.js';
import { NO_FOLLOW, kindOf, requirePlainFileOrNothing } from '../io/net/local-files.js';
import { printable } from '../ui/printable.js';
import type { PartRef } from './asset-parts.js';
import type { FetchOptions, Release } from './fetch.js';

/** The folder beside `target` where its parts are fetched and joined. */
export function stageDirFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.crossflake-parts`);
}

const JOINED = 'joined';
const RECORD = 'joined.json';

interface JoinRecord {
  /** The whole file's expected SHA-256: another release's leftovers are not spliced on. */
  sha256: string;
  /** Parts already in the joined file, in order. */
  parts: string[];
  bytes: number;
}

interface JoinState {
  done: number;
  bytes: number;
  hash: Hash;
}

async function readRecord(path: string): Promise<JoinRecord | null> {
  if ((await kindOf(path)) !== 'file') return null;
  try {
    const data = JSON.parse(await readFile(path, 'utf8')) as Partial<JoinRecord>;
    if (
      typeof data.sha256 === 'string' &&
      Array.isArray(data.parts) &&
      Number.isSafeInteger(data.bytes)
    ) {
      return data as JoinRecord;
    }
  } catch {
    /* a torn record: start over */
  }
  return null;
}

async function requireStage(stage: string): Promise<void> {
  const kind = await kindOf(stage);
  if (kind !== 'missing' && kind !== 'dir') {
    throw new UserError(
      `${printable(stage)} (where parts are joined) is not a directory crossflake made; move it away and run again`,
      EXIT.failed,
    );
  }
  await mkdir(stage, { recursive: true });
}

/** Where the last run stopped, if its record belongs to this file and its bytes are there. */
async function resumeJoin(
  stage: string,
  expected: string,
  parts: readonly PartRef[],
): Promise<JoinState> {
  const joined = join(stage, JOINED);
  const record = await readRecord(join(stage, RECORD));
  const kind = await requirePlainFileOrNothing(joined, 'the file being joined');
  const fits =
    record !== null &&
    record.sha256 === expected &&
    record.parts.length <= parts.length &&
    record.parts.every((name, i) => name === parts[i]?.file);
  if (fits && kind === 'file') {
    const size = (await stat(joined)).size;
    if (size >= record.bytes) {
      // Bytes past the record are a part whose append was not recorded: cut them off.
      if (size > record.bytes) await truncate(joined, record.bytes);
      return {
        done: record.parts.length,
        bytes: record.bytes,
        hash: await hashPrefix(joined, record.bytes),
      };
    }
  }
  await rm(joined, { force: true });
  await rm(join(stage, RECORD), { force: true });
  return { done: 0, bytes: 0, hash: createHash('sha256') };
}

/** Appends `from` to the joined file at `offset`, feeding the whole file's hash too. */
async function append(
  from: string,
  joined: string,
  offset: number,
  whole: Hash,
): Promise<{ sha256: string; size: number }> {
  const out = await open(joined, constants.O_WRONLY | constants.O_CREAT | NO_FOLLOW, 0o644);
  const part = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of createReadStream(from, { highWaterMark: 4 * 1024 * 1024 })) {
      const bytes = chunk as Buffer;
      part.update(bytes);
      whole.update(bytes);
      await out.write(bytes, 0, bytes.length, offset + size);
      size += bytes.length;
    }
    await out.sync();
  } finally {
    await out.close();
  }
  return { sha256: part.digest('hex'), size };
}

interface Obtained {
  path: string;
  /** The file is a downloaded copy in the stage folder (removed once joined). */
  staged: boolean;
  resumedFrom: number;
}

/** A part's bytes on disk: the release's own file, or a verified download. */
async function obtainPart(
  release: Release,
  part: PartRef,
  stage: string,
  offset: number,
  options: FetchOptions,
): Promise<Obtained> {
  if (release.local) {
    const path = join(release.base, part.file);
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) {
      throw new UserError(
        `${printable(path)} ${info ? 'is not a regular file' : 'does not exist'}; the release lists it in SHA256SUMS`,
        EXIT.failed,
      );
    }
    return { path, staged: false, resumedFrom: 0 };
  }
  const path = join(stage, part.file);
  // Downloaded and verified by a run that stopped before joining it.
  if ((await requirePlainFileOrNothing(path, 'a downloaded part')) === 'file') {
    if ((await hashFile(path)).sha256 === part.sha256)
      return { path, staged: true, resumedFrom: 0 };
    await rm(path, { force: true });
  }
  const got = await download(new URL(part.file, release.base).toString(), path, {
    expectedSha256: part.sha256,
    net: options.net,
    onProgress: (p) =>
      options.onProgress?.({
        received: offset + p.received,
        total: null,
        resumedFrom: offset + p.resumedFrom,
      }),
  });
  return { path, staged: true, resumedFrom: got.resumedFrom };
}

/** Removes what this fetch put in the stage folder, then the folder if nothing else is in it. */
async function clearStage(stage: string, parts: readonly PartRef[]): Promise<void> {
  const ours = [JOINED, RECORD, ...parts.map((p) => p.file)];
  for (const name of ours) {
    await rm(join(stage, name), { force: true });
    await rm(partialPathFor(join(stage, name)), { force: true });
    await rm(`${partialPathFor(join(stage, name))}.json`, { force: true });
  }
  await rmdir(stage).catch(() => undefined);
}

export interface JoinedResult {
  size: number;
  sha256: string;
  /** Bytes an earlier, interrupted run had already joined or downloaded. */
  resumedFrom: number;
}

/** Fetches every part of `artifact` and makes `target` from them, verified. */
export async function fetchJoined(
  release: Release,
  artifact: { file: string; parts: PartRef[] },
  target: string,
  expected: string,
  options: FetchOptions,
): Promise<JoinedResult> {
  const stage = stageDirFor(target);
  await requireStage(stage);
  const joined = join(stage, JOINED);
  const state = await resumeJoin(stage, expected, artifact.parts);
  let resumedFrom = state.bytes;
  let bytes = state.bytes;
  for (const [i, part] of artifact.parts.entries()) {
    if (i < state.done) continue;
    const from = await obtainPart(release, part, stage, bytes, options);
    if (i === state.done) resumedFrom += from.resumedFrom;
    const got = await append(from.path, joined, bytes, state.hash);
    if (got.sha256 !== part.sha256) {
      // Only a local part can get here (downloads are verified as they land).
      await truncate(joined, bytes);
      throw new ChecksumMismatch(part.file, part.sha256, got.sha256);
    }
    bytes += got.size;
    const record: JoinRecord = {
      sha256: expected,
      parts: artifact.parts.slice(0, i + 1).map((p) => p.file),
      bytes,
    };
    await writeFileAtomic(join(stage, RECORD), JSON.stringify(record));
    if (from.staged) await rm(from.path, { force: true });
    options.onProgress?.({ received: bytes, total: null, resumedFrom });
  }
  const sha256 = state.hash.digest('hex');
  if (sha256 !== expected) {
    // Every part matched SHA256SUMS, yet the whole does not match the manifest.
    await clearStage(stage, artifact.parts);
    throw new ChecksumMismatch(artifact.file, expected, sha256);
  }
  await requirePlainFileOrNothing(target, 'the artifact');
  await commitTemp(joined, target);
  await clearStage(stage, artifact.parts);
  return { size: bytes, sha256, resumedFrom };
}
