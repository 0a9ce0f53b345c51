// The disk that matters: on Windows the WSL distro's drive (found through the
// Windows lane, where doctor reported "free on /nix" for a Windows host).
import { describe, expect, it } from 'vitest';
import { diskSpace } from '../../src/doctor/checks/disk-space.js';
import { diskThatMatters } from '../../src/io/host/index.js';
import { recordedFacts } from '../helpers/facts.js';

const GiB = 1024 ** 3;

describe('free disk on Windows is the distro drive', () => {
  it('takes the drive of %LOCALAPPDATA%, never /nix', () => {
    const env = { LOCALAPPDATA: 'D:\\Users\\Jürgen Müller\\AppData\\Local' };
    expect(diskThatMatters('windows', env, 'C:\\Users\\x')).toBe('D:\\');
    expect(diskThatMatters('windows', {}, 'C:\\Users\\x')).toBe('C:\\');
  });

  it('names the drive and the onboard fix in the check (recorded Windows facts)', () => {
    const facts = recordedFacts('windows-native');
    facts.resources.storeDiskPath = 'D:\\';
    facts.resources.storeDiskFreeBytes = 3 * GiB;
    const result = diskSpace.run({ facts } as Parameters<typeof diskSpace.run>[0]);
    expect(result.status).toBe('fail');
    expect(result.summary).toBe("3.0 GiB free on D:\\ (where the WSL distro's disk goes)");
    expect(result.fix).toMatch(/--location/);
    expect(result.fix).not.toMatch(/nix-collect-garbage/);
  });
});
