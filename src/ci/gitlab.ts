// .gitlab-ci.yml: the same checks on GitLab.com's hosted Linux runners (the
// only hosted ones there that can run Nix on the Free tier), and the image
// build + release on tags. Rows without a GitLab runner are listed in the
// file's header so nobody assumes they are covered.
import { UserError } from '../command.js';
import { GITLAB_NIX_IMAGE, GITLAB_RUNNER_TAGS } from './actions.js';
import { selectRows } from './matrix.js';
import { shellText } from './commands.js';
import { buildCommand, configurationLabel } from './configurations.js';
import {
  crossflakeRun,
  crossflakeShell,
  flakeCheckCommands,
  shellsFor,
  type GenerateInput,
} from './model.js';
import { assertSafeAttr } from './names.js';
import { imageSystems } from './github-release.js';
import { teamCacheConfig } from './steps.js';
import { storeRelease } from './store-release.js';

export interface GitlabPipeline {
  doc: Record<string, unknown>;
  /** Rows CI would run on GitHub that GitLab cannot host. */
  uncovered: string[];
  /** CI/CD variables the project must set for the release to the team store. */
  storeVariables: readonly string[];
}

interface GitlabJob {
  stage: string;
  image: string;
  tags: string[];
  rules?: { if: string }[];
  needs?: string[];
  variables?: Record<string, string>;
  script: string[];
  artifacts?: { paths: string[]; expire_in: string };
  timeout?: string;
}

const ON_TAG = [{ if: '$CI_COMMIT_TAG' }];

export function buildGitlabPipeline(input: GenerateInput): GitlabPipeline {
  const rows = selectRows(input.platformRows, input.outputs, input.config.ci);
  const hosted = rows.filter((r) => GITLAB_RUNNER_TAGS[r.system]);
  const uncovered = rows.filter((r) => !GITLAB_RUNNER_TAGS[r.system]).map((r) => r.id);
  const cli = (rest: string) => crossflakeShell(input, rest);
  const jobs: Record<string, GitlabJob> = {};
  for (const row of hosted) {
    const extra = (phase: 'before-check' | 'after-check') =>
      input.config.ci.extraSteps
        .filter(
          (s) => s.phase === phase && (!s.systems || (s.systems as string[]).includes(row.system)),
        )
        .map((s) => s.run);
    jobs[`check:${row.system}`] = {
      stage: 'check',
      image: GITLAB_NIX_IMAGE,
      tags: [GITLAB_RUNNER_TAGS[row.system]!],
      timeout: '1h',
      script: [
        ...extra('before-check'),
        ...flakeCheckCommands(input, row.system).map(shellText),
        ...shellsFor(input, row.system).map(
          ({ shell, smoke }) =>
            `nix develop .#${assertSafeAttr(shell, 'dev shell')} --command ${smoke}`,
        ),
        ...(input.outputs.templates.length > 0
          ? [shellText(crossflakeRun(input, ['init', '--test']))]
          : []),
        ...extra('after-check'),
      ],
    };
  }
  if (hosted.length > 0) {
    jobs['flake-lock'] = {
      stage: 'check',
      image: GITLAB_NIX_IMAGE,
      tags: [GITLAB_RUNNER_TAGS['x86_64-linux']!],
      timeout: '15m',
      script: ['nix flake lock --no-update-lock-file'],
    };
  }
  const configs = [...input.outputs.configurations].sort(
    (a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name),
  );
  for (const system of [...new Set(configs.map((c) => c.system))].sort()) {
    const mine = configs.filter((c) => c.system === system);
    const tag = GITLAB_RUNNER_TAGS[system];
    if (!tag) {
      uncovered.push(...mine.map((c) => `${configurationLabel(c)} (${system})`));
      continue;
    }
    jobs[`configurations:${system}`] = {
      stage: 'check',
      image: GITLAB_NIX_IMAGE,
      tags: [tag],
      timeout: '2h',
      script: mine.map((c) => shellText(buildCommand(c))),
    };
  }
  const systems = imageSystems(input);
  for (const system of systems) {
    const tag = GITLAB_RUNNER_TAGS[system];
    if (!tag) throw new UserError(`no GitLab.com hosted runner builds ${system} images natively`);
    jobs[`images:${system}`] = {
      stage: 'images',
      image: GITLAB_NIX_IMAGE,
      tags: [tag],
      rules: ON_TAG,
      timeout: '3h',
      script: [cli(`images build --only ${system}`)],
      artifacts: { paths: ['dist/'], expire_in: '30 days' },
    };
  }
  const store = systems.length > 0 ? storeRelease(input) : null;
  if (systems.length > 0) {
    jobs.release = {
      stage: 'release',
      image: GITLAB_NIX_IMAGE,
      tags: [GITLAB_RUNNER_TAGS['x86_64-linux']!],
      rules: ON_TAG,
      needs: systems.map((s) => `images:${s}`),
      script: [
        ...(input.hasVersionFile
          ? [
              'test "${CI_COMMIT_TAG#v}" = "$(tr -d \'[:space:]\' < VERSION)" || { echo "tag $CI_COMMIT_TAG does not match VERSION"; exit 1; }',
            ]
          : []),
        cli(
          store
            ? 'images release --tag "$CI_COMMIT_TAG" --to "$STORE"'
            : 'images release --tag "$CI_COMMIT_TAG" --dir release',
        ),
      ],
      // With a team store the release lives there; the credentials are the
      // project's masked CI/CD variables, which GitLab puts in the environment.
      ...(store
        ? { variables: { STORE: store.to } }
        : { artifacts: { paths: ['release/'], expire_in: 'never' } }),
    };
  }
  if (Object.keys(jobs).length === 0) {
    throw new UserError('no job for GitLab: no selected row has a GitLab.com hosted runner');
  }
  const stages = ['check', 'images', 'release'].filter((st) =>
    Object.values(jobs).some((j) => j.stage === st),
  );
  return {
    doc: {
      stages,
      variables: {
        NIX_CONFIG: [
          'experimental-features = nix-command flakes',
          ...teamCacheConfig(input.config),
        ].join('\n'),
      },
      ...jobs,
    },
    uncovered,
    storeVariables: store?.gitlabVariables ?? [],
  };
}
