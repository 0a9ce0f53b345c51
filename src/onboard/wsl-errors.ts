// What wsl.exe's error texts mean, in words a colleague can act on. The
// texts are matched on the decoded output (wsl.exe writes UTF-16LE).

const KNOWN: { pattern: RegExp; explain: (name: string) => string }[] = [
  {
    pattern: /distribution with the supplied name already exists/i,
    explain: (name) =>
      `a WSL distro named ${name} already exists: pick another --name, or pass --replace to back it up (wsl --export) and replace it`,
  },
  {
    pattern: /no distribution with the supplied name/i,
    explain: (name) => `WSL has no distro named ${name} (wsl -l -v lists them)`,
  },
  {
    pattern: /Invalid command line (argument|option).*(--from-file|--location|--name)/i,
    explain: () =>
      'this WSL does not know `--install --from-file`; update it with `wsl --update` (or it is older than 2.4.4 and reported a newer version)',
  },
  {
    pattern: /HCS_E_HYPERV_NOT_INSTALLED|enable the Virtual Machine Platform|virtualization/i,
    explain: () =>
      'WSL2 cannot start a VM: enable virtualization in the firmware and the "Virtual Machine Platform" Windows feature, then reboot',
  },
];

export function explainWslError(output: string, name: string): string | null {
  const hit = KNOWN.find((k) => k.pattern.test(output));
  return hit ? hit.explain(name) : null;
}
