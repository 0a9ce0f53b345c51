// Every classifier rule, in the order their evidence is listed. Adding a rule
// means adding a file and one line here.
import { entryPoints } from './entry-points.js';
import { hardware } from './hardware.js';
import { homePaths } from './home-paths.js';
import { notAModule } from './not-a-module.js';
import { personalIdentifiers } from './personal-identifiers.js';
import { platformMarkers } from './platform-markers.js';
import type { Rule } from './rule.js';
import { secretReferences } from './secret-references.js';
import { secrets } from './secrets.js';
import { templates } from './templates.js';
import { userAtHost } from './user-at-host.js';
import { windowsPaths } from './windows-paths.js';

export const RULES: readonly Rule[] = [
  secrets,
  secretReferences,
  hardware,
  personalIdentifiers,
  homePaths,
  windowsPaths,
  userAtHost,
  templates,
  platformMarkers,
  notAModule,
  entryPoints,
];
export type { Rule } from './rule.js';
