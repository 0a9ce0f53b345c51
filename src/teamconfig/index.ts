export * from './types.js';
export { jsonPath, TeamConfigError, validateTeamConfig, type ConfigProblem } from './validate.js';
export { loadTeamConfig, TEAM_CONFIG_FILE } from './load.js';
