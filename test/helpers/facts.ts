// Loads the recorded HostFacts and raw program outputs under test/fixtures/host.
import { readFileSync } from 'node:fs';
import type { HostFacts } from '../../src/io/host/facts.js';

export const hostFixtures = 'test/fixtures/host';

export function recordedFacts(name: string): HostFacts {
  return JSON.parse(readFileSync(`${hostFixtures}/facts/${name}.json`, 'utf8')) as HostFacts;
}

export function recordedRaw(name: string): Buffer {
  return readFileSync(`${hostFixtures}/raw/${name}`);
}
