// Reads nix's `--log-format internal-json` stream ("@nix {...}" lines) and
// turns it into per-derivation events: a build started, printed a line,
// entered a phase, stopped; or nix reported an error. Pure and incremental:
// feed it lines, it returns events.

/** Activity and result type numbers from Nix's logging protocol. */
const ACT_BUILD = 105;
const ACT_BUILDS = 104;
const RES_BUILD_LOG_LINE = 101;
const RES_SET_PHASE = 104;
const RES_PROGRESS = 105;

export type LogEvent =
  | { type: 'build-start'; drvPath: string; machine: string }
  | { type: 'build-line'; drvPath: string; line: string }
  | { type: 'build-phase'; drvPath: string; phase: string }
  | { type: 'build-stop'; drvPath: string }
  /** Counters of the whole build: Nix 2.8 stops build activities only at the very end, but counts finished builds as they happen. */
  | { type: 'builds-progress'; done: number; expected: number; running: number; failed: number }
  | { type: 'error'; message: string; drvPath: string | null }
  | { type: 'text'; line: string };

interface RawLog {
  action?: string;
  id?: number;
  type?: number;
  fields?: unknown[];
  level?: number;
  msg?: string;
  text?: string;
}

/** Removes ANSI colour codes that nix puts into messages. */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
}

export class NixLogReader {
  private readonly builds = new Map<number, string>();
  private buildsActivity: number | null = null;

  /** Events for one stderr line (usually zero or one). */
  read(line: string): LogEvent[] {
    if (!line.startsWith('@nix ')) {
      return line.trim() === '' ? [] : [{ type: 'text', line: stripAnsi(line) }];
    }
    let raw: RawLog;
    try {
      raw = JSON.parse(line.slice(5)) as RawLog;
    } catch {
      return [{ type: 'text', line }];
    }
    return this.interpret(raw);
  }

  private interpret(raw: RawLog): LogEvent[] {
    const id = raw.id ?? -1;
    switch (raw.action) {
      case 'start': {
        if (raw.type === ACT_BUILDS) this.buildsActivity = id;
        if (raw.type !== ACT_BUILD) return [];
        const drvPath = String(raw.fields?.[0] ?? '');
        this.builds.set(id, drvPath);
        return [{ type: 'build-start', drvPath, machine: String(raw.fields?.[1] ?? '') }];
      }
      case 'result': {
        if (id === this.buildsActivity && raw.type === RES_PROGRESS) {
          const [done, expected, running, failed] = (raw.fields ?? []).map((f) => Number(f) || 0);
          return [
            {
              type: 'builds-progress',
              done: done ?? 0,
              expected: expected ?? 0,
              running: running ?? 0,
              failed: failed ?? 0,
            },
          ];
        }
        const drvPath = this.builds.get(id);
        if (drvPath === undefined) return [];
        if (raw.type === RES_BUILD_LOG_LINE) {
          return [{ type: 'build-line', drvPath, line: stripAnsi(String(raw.fields?.[0] ?? '')) }];
        }
        if (raw.type === RES_SET_PHASE) {
          return [{ type: 'build-phase', drvPath, phase: String(raw.fields?.[0] ?? '') }];
        }
        return [];
      }
      case 'stop': {
        const drvPath = this.builds.get(id);
        if (drvPath === undefined) return [];
        this.builds.delete(id);
        return [{ type: 'build-stop', drvPath }];
      }
      case 'msg': {
        if ((raw.level ?? 99) > 0) return [];
        const message = stripAnsi(raw.msg ?? '');
        const drv = /'(\/[^']+\.drv)'/.exec(message);
        return [{ type: 'error', message, drvPath: drv?.[1] ?? null }];
      }
      default:
        return [];
    }
  }
}
