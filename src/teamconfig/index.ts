export * from './types.js';
export { jsonPath, TeamConfigError, validateTeamConfig, type ConfigProblem } from './validate.js';
export { findTeamConfig, loadTeamConfig, loadTeamConfigFile, TEAM_CONFIG_FILE } from './load.js';
export { teamCaFile, type TeamCa } from './network.js';
