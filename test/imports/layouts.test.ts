/** The documented layouts are the real ones: the doc is current, and every sample imports cleanly in order. */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_KINDS, importFile } from '../../imports';
import { importLayoutsMarkdown } from '../../imports/layouts';
import { createTestDatabase, type TestDatabase } from '../support/database';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

describe('import layouts', () => {
  it('are documented in docs/imports.md as the code defines them', async () => {
    expect(await readFile('docs/imports.md', 'utf8')).toBe(importLayoutsMarkdown());
  });

  it('come with a sample file per kind, each importing cleanly in the documented order', async () => {
    for (const kind of IMPORT_KINDS) {
      const file = `imports/samples/${kind.name}.csv`;
      const report = await importFile(database.db, { kind: kind.name, input: createReadStream(file), source: file, actor: 'test' });
      expect(report.problems, file).toEqual([]);
      expect(report.inserted + report.updated, file).toBeGreaterThan(0);
      const header = (await readFile(file, 'utf8')).split('\n')[0]!.split(',');
      expect(header, `${file} shows every column`).toEqual(kind.columns.map((column) => column.name).filter((name) => header.includes(name)));
      expect(header.length, `${file} shows every column`).toBe(kind.columns.length);
    }
  });
});
