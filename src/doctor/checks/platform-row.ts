import { fail, pass, warn, type Check } from '../check.js';

export const platformRow: Check = {
  id: 'platform-row',
  title: 'Support matrix row',
  required: true,
  run({ match, row }) {
    if (!row) {
      const fix = match.key.includes('wsl1')
        ? 'Convert the distro: `wsl --set-version <distro> 2` (in PowerShell), or install a new one with WSL2'
        : 'See docs/PLATFORMS.md for the supported hosts';
      return fail(`${match.key}: ${match.reason ?? 'not supported'}`, fix);
    }
    if (row.endOfSupport) {
      return warn(
        `${row.name} (${row.status}); support ends after nixpkgs ${row.endOfSupport.nixpkgs}`,
        row.endOfSupport.notes,
      );
    }
    if (row.status !== 'supported') {
      return warn(`${row.name} (${row.status})`, row.notes[0] ?? 'Expect rough edges on this row');
    }
    return pass(`${row.name} (${row.nixSystem})`);
  },
};
