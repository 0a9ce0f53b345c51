// .github/workflows/release-images.yml: on a tag (or by hand), one build job
// per image system on a native runner (no binfmt cross-builds: they ran out
// of memory), then one release job that publishes what the builds uploaded.
import { UserError } from '../command.js';
import { runnerForSystem } from './matrix.js';
import { ACTIONS } from './actions.js';
import {
  crossflakeShell,
  type GenerateInput,
  type Job,
  type Step,
  type Workflow,
} from './model.js';
import { cache, checkout, freeDiskSpace, installNix } from './steps.js';
import { storeRelease, type StoreRelease } from './store-release.js';

const SYSTEM = /^[a-z0-9_]+-[a-z0-9_]+$/;

export function imageSystems(input: GenerateInput): string[] {
  return [...new Set(input.outputs.images.map((i) => i.system))].sort();
}

export function buildJobId(system: string): string {
  return `build-${system}`;
}

export function buildReleaseWorkflow(input: GenerateInput): Workflow | null {
  const systems = imageSystems(input);
  if (systems.length === 0) return null;
  const cli = (rest: string) => crossflakeShell(input, rest);
  const jobs: Record<string, Job> = {};
  if (input.hasVersionFile) jobs.version = versionJob();
  for (const system of systems) jobs[buildJobId(system)] = buildJob(input, system, cli);
  // A team store is where its releases go (as `images release` with no --to):
  // images kept there are not meant for a public GitHub release.
  const store = storeRelease(input);
  if (store) jobs['release-store'] = storeReleaseJob(systems, cli, store);
  else jobs.release = releaseJob(systems, cli);
  return {
    name: 'release-images',
    on: { push: { tags: ['*'] }, workflow_dispatch: null },
    permissions: { contents: 'read' },
    concurrency: { group: 'release-images-${{ github.ref }}', 'cancel-in-progress': false },
    jobs,
  };
}

// The tag is read through the environment: a ref name never becomes script text.
function versionJob(): Job {
  return {
    name: 'tag matches VERSION',
    'runs-on': 'ubuntu-24.04',
    'timeout-minutes': 5,
    steps: [
      checkout(),
      {
        name: 'Check the tag against VERSION',
        if: "github.ref_type == 'tag'",
        env: { TAG: '${{ github.ref_name }}' },
        run: [
          'want="$(tr -d \'[:space:]\' < VERSION)"',
          'if [ "${TAG#v}" != "$want" ]; then',
          '  echo "::error::tag $TAG does not match VERSION ($want)"',
          '  exit 1',
          'fi',
        ].join('\n'),
      },
    ],
  };
}

type Cli = (rest: string) => string;

function buildJob(input: GenerateInput, system: string, cli: Cli): Job {
  if (!SYSTEM.test(system))
    throw new UserError(`image system ${JSON.stringify(system)} is not a Nix system`);
  const row = runnerForSystem(input.platformRows, system);
  if (!row || !row.runner) {
    throw new UserError(
      `no hosted runner builds ${system} natively (data/platforms.json); drop those images or build them elsewhere`,
    );
  }
  const isLinux = system.endsWith('-linux');
  return {
    name: `build images (${system})`,
    'runs-on': row.runner.label,
    ...(input.hasVersionFile ? { needs: ['version'] } : {}),
    'timeout-minutes': 180,
    steps: [
      checkout(),
      ...(isLinux ? [freeDiskSpace()] : []),
      installNix(),
      ...cache(input.config),
      { name: 'Build images', run: cli(`images build --only ${system}`) },
      {
        name: 'Upload images',
        uses: ACTIONS.uploadArtifact,
        with: { name: `images-${system}`, path: 'dist/', 'if-no-files-found': 'error' },
      },
    ],
  };
}

/** The builds' dist/ folders, downloaded and merged into one. */
function mergedDist(cli: Cli): Step[] {
  return [
    checkout(),
    // Each build job uploaded its own dist/ (with its own SHA256SUMS and
    // manifest); merge them into one set instead of letting the last win.
    {
      name: 'Download images',
      uses: ACTIONS.downloadArtifact,
      with: { pattern: 'images-*', path: 'parts/' },
    },
    installNix(),
    { name: 'Merge per-system images', run: cli('images merge parts/* --dist dist') },
  ];
}

function releaseJob(systems: readonly string[], cli: Cli): Job {
  return {
    name: 'release',
    'runs-on': 'ubuntu-24.04',
    needs: systems.map(buildJobId),
    if: "github.ref_type == 'tag'",
    permissions: { contents: 'write' },
    'timeout-minutes': 60,
    steps: [
      ...mergedDist(cli),
      {
        name: 'Release images, SHA256SUMS and manifest',
        env: {
          TAG: '${{ github.ref_name }}',
          REPO: '${{ github.repository }}',
          GITHUB_TOKEN: '${{ secrets.GITHUB_TOKEN }}',
        },
        run: cli('images release --tag "$TAG" --github "$REPO"'),
      },
    ],
  };
}

// The store and the tag reach the command through the environment, the
// credentials from the repository's secrets: neither becomes script text.
function storeReleaseJob(systems: readonly string[], cli: Cli, store: StoreRelease): Job {
  return {
    name: 'release to the team store',
    'runs-on': 'ubuntu-24.04',
    needs: systems.map(buildJobId),
    if: "github.ref_type == 'tag'",
    permissions: { contents: 'read', ...store.permissions },
    'timeout-minutes': 120,
    steps: [
      ...mergedDist(cli),
      {
        name: 'Release images, SHA256SUMS and manifest to the team store',
        env: { TAG: '${{ github.ref_name }}', STORE: store.to, ...store.githubEnv },
        run: cli('images release --tag "$TAG" --to "$STORE"'),
      },
    ],
  };
}
