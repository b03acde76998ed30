/**
 * Reference files are found as stored, plain or gzipped beside, and read back as published.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataFile, readDataFile, referenceFile } from '../../reference/files';

const CSV = '\uFEFFCode,Service\r\n100,GENERAL SURGERY SERVICE\r\n';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bt-reference-'));
  await writeFile(path.join(dir, 'plain.csv'), CSV);
  await writeFile(path.join(dir, 'zipped.csv.gz'), gzipSync(CSV));
  await writeFile(path.join(dir, 'broken.csv.gz'), gzipSync(CSV).subarray(0, 12));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('reference files', () => {
  it('are found plain, or gzipped beside, under the name the code asks for', () => {
    expect(referenceFile(dir, 'plain.csv')).toBe(path.join(dir, 'plain.csv'));
    expect(referenceFile(dir, 'zipped.csv')).toBe(path.join(dir, 'zipped.csv.gz'));
    expect(() => referenceFile(dir, 'missing.csv')).toThrow(/missing\.csv.*missing\.csv\.gz/);
  });

  it('read back byte for byte as published, streamed or whole', async () => {
    for (const name of ['plain.csv', 'zipped.csv']) {
      expect((await buffer(openDataFile(referenceFile(dir, name)))).equals(Buffer.from(CSV))).toBe(true);
      expect(await readDataFile(referenceFile(dir, name))).toBe(CSV);
    }
  });

  it('pass a damaged or vanished file on to the reader as an error', async () => {
    await expect(buffer(openDataFile(path.join(dir, 'broken.csv.gz')))).rejects.toThrow(/unexpected end of file/);
    await expect(buffer(openDataFile(path.join(dir, 'gone.csv.gz')))).rejects.toThrow(/ENOENT/);
  });
});
