import { EXIT } from '../command.js';
import type { ImagesContext } from './command.js';

export async function releaseCommand(_ctx: ImagesContext): Promise<number> {
  return EXIT.failed;
}
