import { describe, expect, it } from 'vitest';
import { NixLogReader } from '../../src/images/nixlog.js';

// Recorded from Nix 2.8.0: `nix build --log-format internal-json --keep-going` of
// two derivations, one of which fails (ids shortened).
const recorded = String.raw`@nix {"action":"start","id":1,"level":0,"text":"","type":104}
@nix {"action":"result","fields":[0,1,0,0],"id":1,"type":105}
@nix {"action":"start","fields":["/nix/store/syj75awr1h9nrpbydjixx8i1crks5pxm-a.drv","",1,1],"id":20,"level":3,"text":"building '/nix/store/syj75awr1h9nrpbydjixx8i1crks5pxm-a.drv'","type":105}
@nix {"action":"result","fields":["hello a"],"id":20,"type":101}
@nix {"action":"result","fields":["configurePhase"],"id":20,"type":104}
@nix {"action":"start","fields":["/nix/store/i4a1751g4w1ynhy8zmadj0lcw70ddsyy-b.drv","ssh://arm",1,1],"id":21,"level":3,"text":"building","type":105}
@nix {"action":"result","fields":["hello b"],"id":21,"type":101}
@nix {"action":"stop","id":21}
@nix {"action":"result","fields":[1,2,0,1],"id":1,"type":105}
@nix {"action":"stop","id":20}
@nix {"action":"stop","id":1}
@nix {"action":"msg","column":null,"file":null,"level":0,"line":null,"msg":"\u001b[31;1merror:\u001b[0m builder for '\u001b[35;1m/nix/store/syj75awr1h9nrpbydjixx8i1crks5pxm-a.drv\u001b[0m' failed with exit code 2\u001b[0m"}
@nix {"action":"msg","level":3,"msg":"verbose chatter"}
warning: Git tree '/src' is dirty`;

describe('NixLogReader on a recorded Nix 2.8 internal-json stream', () => {
  it('turns activities into per-derivation events and finds the failed derivation', () => {
    const reader = new NixLogReader();
    const events = recorded.split('\n').flatMap((line) => reader.read(line));
    const a = '/nix/store/syj75awr1h9nrpbydjixx8i1crks5pxm-a.drv';
    const b = '/nix/store/i4a1751g4w1ynhy8zmadj0lcw70ddsyy-b.drv';
    expect(events).toEqual([
      { type: 'builds-progress', done: 0, expected: 1, running: 0, failed: 0 },
      { type: 'build-start', drvPath: a, machine: '' },
      { type: 'build-line', drvPath: a, line: 'hello a' },
      { type: 'build-phase', drvPath: a, phase: 'configurePhase' },
      { type: 'build-start', drvPath: b, machine: 'ssh://arm' },
      { type: 'build-line', drvPath: b, line: 'hello b' },
      { type: 'build-stop', drvPath: b },
      { type: 'builds-progress', done: 1, expected: 2, running: 0, failed: 1 },
      { type: 'build-stop', drvPath: a },
      { type: 'error', message: `error: builder for '${a}' failed with exit code 2`, drvPath: a },
      { type: 'text', line: "warning: Git tree '/src' is dirty" },
    ]);
  });
});
