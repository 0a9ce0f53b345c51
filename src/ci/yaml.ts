// YAML output through the `yaml` package (YAML 1.2), with the settings that
// keep generated files stable and readable: no line folding (a folded command
// is a different command to some readers), no anchors, empty values for null
// (`push:`), literal blocks for multi-line scripts.
import { stringify } from 'yaml';

export function toYaml(value: unknown, headerLines: readonly string[]): string {
  const body = stringify(value, {
    lineWidth: 0,
    minContentWidth: 0,
    aliasDuplicateObjects: false,
    nullStr: '',
    indentSeq: true,
  });
  const header = headerLines.map((l) => (l ? `# ${l}` : '#')).join('\n');
  return `${header}\n${body}`;
}
