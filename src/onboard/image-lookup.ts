// Which image `onboard wsl` will fetch. A real run reads the release (its
// SHA256SUMS) to pick the artifact; a --dry-run does the same when the
// network answers, and otherwise still prints the plan, saying what it would
// fetch and that nothing was checked.
import type { Io } from '../command.js';
import { loadRelease, locateRelease, pickArtifact, type ReleaseArtifact } from '../images/fetch.js';
import type { NetConfig } from '../io/net/client.js';
import { NetError } from '../io/net/errors.js';
import { DEFAULT_RETRY } from '../io/net/retry.js';
import type { Plan } from './step.js';

export interface ImageChoice {
  /** The artifact's file name; a placeholder when offline and the source names none. */
  file: string;
  local: boolean;
  base: string;
  /** Why the release could not be read (dry-run only); null when it was. */
  unchecked: string | null;
  /** The file name is only a placeholder. */
  placeholder: boolean;
  /** The artifact's SHA-256 in the release's SHA256SUMS; null when unlisted or unchecked. */
  sha256: string | null;
  /** How many numbered parts the release publishes it in; null when whole or unchecked. */
  parts: number | null;
}

export const UNKNOWN_IMAGE = '<image from SHA256SUMS>';

export async function chooseImage(
  source: string,
  artifactFlag: string | undefined,
  want: (a: ReleaseArtifact) => boolean,
  dryRun: boolean,
  io: Io,
  base: NetConfig,
): Promise<ImageChoice> {
  // A review must not hang on a network that is not there: one try, short timeouts.
  const net: NetConfig = dryRun
    ? {
        ...base,
        retry: { ...DEFAULT_RETRY, retries: 0 },
        connectTimeoutMs: 5_000,
        stallTimeoutMs: 10_000,
      }
    : base;
  try {
    const release = await loadRelease(source, io.cwd, net);
    const artifact = pickArtifact(release, artifactFlag, want, '--artifact');
    const { local, base } = release;
    return {
      file: artifact.file,
      local,
      base,
      unchecked: null,
      placeholder: false,
      sha256: artifact.sha256,
      parts: artifact.parts?.length ?? null,
    };
  } catch (error) {
    if (!dryRun || !(error instanceof NetError)) throw error;
    const located = locateRelease(source, io.cwd);
    const named = artifactFlag ?? located.named;
    return {
      file: named ?? UNKNOWN_IMAGE,
      local: false,
      base: located.base,
      unchecked: error.message,
      placeholder: named === undefined || named === null,
      sha256: null,
      parts: null,
    };
  }
}

/** Says in the plan what a dry-run could not check. */
export function markUnchecked(plan: Plan, choice: ImageChoice): Plan {
  if (choice.unchecked === null) return plan;
  const steps = plan.steps.map((step) => {
    if (step.id !== 'fetch-image') return step;
    const command = choice.placeholder ? withoutImageFlag(step.command) : step.command;
    const internal =
      step.internal?.name === 'fetch-image' && choice.placeholder
        ? { ...step.internal, image: null }
        : step.internal;
    return {
      ...step,
      what: `${step.what} (not checked now, the release could not be read: ${choice.unchecked})`,
      command,
      internal,
    };
  });
  return { ...plan, steps };
}

function withoutImageFlag(command: string[]): string[] {
  const at = command.indexOf('--image');
  return at < 0 ? command : [...command.slice(0, at), ...command.slice(at + 2)];
}
