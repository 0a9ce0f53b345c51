// A plan for humans: numbered steps with what, why, the exact command and
// how a re-run tells the step is done.
import type { Colors } from '../ui/color.js';
import { renderCommand, type Shell } from '../ui/shell-quote.js';
import { describeDone, type Plan } from './step.js';

const SHELL_NAMES: Record<Shell, string> = {
  posix: 'a POSIX shell',
  powershell: 'PowerShell',
  cmd: 'cmd',
};

export function renderPlan(
  plan: Plan,
  statePath: string,
  c: Colors,
  shell: Shell = 'posix',
): string {
  const show = (command: readonly string[]) => renderCommand(command, shell);
  const lines = [
    c.bold(`Plan: ${plan.summary}`) + (plan.row ? c.dim(`  (platform row ${plan.row})`) : ''),
    '',
  ];
  for (const p of plan.problems) {
    lines.push(c.red(`✗ ${p.message}`), `  fix: ${p.fix}`);
  }
  if (plan.problems.length) lines.push('');
  if (plan.network) {
    lines.push(c.bold('Proxy and company CA handed to Nix:'));
    lines.push(...plan.network.set.map((line) => `  set: ${line}`));
    lines.push(...plan.network.notes.map((line) => c.dim(`  not set: ${line}`)));
    lines.push('');
  }
  plan.steps.forEach((step, i) => {
    const done =
      step.doneWhen.kind === 'known' ? c.green(`  (already done: ${step.doneWhen.reason})`) : '';
    lines.push(`${String(i + 1).padStart(2)}. ${step.what}${done}`);
    lines.push(c.dim(`    why:  ${step.why}`));
    lines.push(
      `    run:  ${show(step.command)}${step.stdoutTo ? ` > ${show([step.stdoutTo])}` : ''}`,
    );
    if (step.cwd) lines.push(c.dim(`    in:   ${step.cwd}`));
    if (step.env) {
      const vars = Object.entries(step.env).map(([k, v]) => `${k}=${v}`);
      lines.push(c.dim(`    env:  ${vars.join(' ')}`));
    }
    lines.push(c.dim(`    done: ${describeDone(step.doneWhen, show)}`));
  });
  if (plan.afterwards.length) {
    lines.push('', 'Afterwards:', ...plan.afterwards.map((cmd) => `  ${show(cmd)}`));
  }
  lines.push(
    '',
    c.dim(`Commands are shown for ${SHELL_NAMES[shell]} (--shell powershell|cmd|posix).`),
    c.dim(`State file (a re-run continues from it): ${statePath}`),
    '',
  );
  return lines.join('\n');
}
