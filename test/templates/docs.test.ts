// docs/templates.md lists every parameter of every template with its rule.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { embeddedTemplatesDir, loadAll } from '../../src/templates/load.js';

const templates = await loadAll(embeddedTemplatesDir());
const doc = readFileSync('docs/templates.md', 'utf8');

describe('docs/templates.md', () => {
  for (const { spec } of templates) {
    it(`documents ${spec.name}: description, rows and every parameter with its rule and default`, () => {
      const section = doc.split(`\n### ${spec.name}\n`)[1]?.split('\n### ')[0] ?? '';
      expect(section).toContain(spec.description);
      for (const row of spec.platformRows) expect(section).toContain(`\`${row}\``);
      for (const p of spec.parameters) {
        const line = section.split('\n').find((l) => l.startsWith(`| \`${p.name}\` |`));
        expect(line, p.name).toBeDefined();
        expect(line).toContain(p.rule);
        if (p.default === undefined) expect(line).toContain('| none: required |');
        else expect(line).toContain(`\`${String(p.default)}\``);
      }
    });
  }
});
