/**
 * The public reference data the project carries in reference/data (see reference/README.md), and the
 * one way its files are found and read. A file of 1 MB or more is stored gzipped as `name.gz`; readers
 * ask for `name` and get the bytes as published either way, so another copy of the data laid out the
 * same way (REFERENCE_DATA_DIR), gzipped or not, reads the same.
 */
import { createReadStream, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createGunzip, gunzip } from 'node:zlib';

const gunzipBytes = promisify(gunzip);

/** reference/data in this checkout, wherever the command was started from. */
export const PROJECT_REFERENCE_DATA_DIR = fileURLToPath(new URL('./data', import.meta.url));

/** Where `relative` (e.g. `codes/opcs4_hierarchy.csv`) is on disk under `dir`: as it is, or gzipped beside. */
export function referenceFile(dir: string, relative: string): string {
  const plain = path.join(dir, relative);
  if (existsSync(plain)) return plain;
  if (existsSync(`${plain}.gz`)) return `${plain}.gz`;
  throw new Error(`reference file ${relative} is in neither ${plain} nor ${plain}.gz (REFERENCE_DATA_DIR is ${dir})`);
}

/** A file's bytes as published: unzipped on the way when its name ends in `.gz`. */
export function openDataFile(file: string): Readable {
  if (!file.endsWith('.gz')) return createReadStream(file);
  // pipeline() hands a read error on to the gunzip stream, so whoever reads it sees the error.
  return pipeline(createReadStream(file), createGunzip(), () => {});
}

/** A whole (small) file as text, unzipped when its name ends in `.gz`. */
export async function readDataFile(file: string): Promise<string> {
  const bytes = await readFile(file);
  return (file.endsWith('.gz') ? await gunzipBytes(bytes) : bytes).toString('utf8');
}
