import { createReadStream, type ReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A file of the real reference data in ../shared/data (see its README). */
export function sharedDataPath(relative: string): string {
  return fileURLToPath(new URL(`../../../shared/data/${relative}`, import.meta.url));
}

export function openSharedData(relative: string): ReadStream {
  return createReadStream(sharedDataPath(relative));
}
