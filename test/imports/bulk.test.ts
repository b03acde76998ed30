/**
 * A bulk load (100,000 pathways or more) sets the tables' foreign keys, checks and secondary indexes
 * aside inside the import's transaction and puts them back afterwards: they must all be back, exactly
 * as they were and validated, every pathway numbered in the file's order with its own row's patient,
 * the tables analysed, and a re-import must change nothing.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWorld, loadWorld, PROJECT_REFERENCE_DIR, type WorldPlan } from '../../generate/world';
import { importFile } from '../../imports';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { REFERENCE_DATA_DIR } from '../support/reference-data';

let database: TestDatabase;
let outDir: string;
let plan: WorldPlan;

beforeAll(async () => {
  database = await createTestDatabase();
  outDir = await mkdtemp(path.join(tmpdir(), 'bt-bulk-'));
  plan = await generateWorld({ pathways: 100_000, seed: 5, asOf: '2026-11-22', outDir, referenceDataDir: REFERENCE_DATA_DIR, projectReferenceDir: PROJECT_REFERENCE_DIR });
  await loadWorld(database.db, { ...plan, steps: plan.steps.filter((step) => step.kind !== 'pathways' && step.kind !== 'capacity') });
}, 120_000);

afterAll(async () => {
  await database?.drop();
  await rm(outDir, { recursive: true, force: true });
});

const foreignKeys = async () =>
  (
    await sql<{ name: string; validated: boolean }>`
      select conname as name, convalidated as validated from pg_constraint
      where conrelid in ('pathways'::regclass, 'patients'::regclass) and contype = 'f' order by conname`.execute(database.db)
  ).rows;

/** Every constraint and index of the two tables, as the catalog defines them. */
const catalog = async () =>
  (
    await sql<{ name: string; definition: string }>`
      select conname as name, pg_get_constraintdef(oid) || case when convalidated then '' else ' NOT VALID' end as definition
      from pg_constraint where conrelid in ('pathways'::regclass, 'patients'::regclass)
      union all
      select indexname, indexdef from pg_indexes where tablename in ('pathways', 'patients')
      order by name, definition`.execute(database.db)
  ).rows;

describe('a bulk waiting-list load', () => {
  it('keeps every foreign key, validated, and changes nothing when repeated', { timeout: 120_000 }, async () => {
    const definitions = await catalog();
    expect(definitions.length).toBeGreaterThan(20);
    const before = await foreignKeys();
    expect(before.map((key) => key.name)).toEqual([
      'pathways_patient_id_fkey',
      'pathways_planned_procedure_code_fkey',
      'pathways_treatment_function_fk',
      'pathways_trust_ods_fkey',
      'patients_lsoa_code_fkey',
    ]);
    const file = plan.steps.find((step) => step.kind === 'pathways')!.file;
    const first = await importFile(database.db, { kind: 'pathways', input: createReadStream(file), source: 'bulk', actor: 'test' });
    expect(first).toMatchObject({ status: 'applied', inserted: 100_000 });
    const after = await foreignKeys();
    expect(after).toEqual(before);
    expect(after.every((key) => key.validated)).toBe(true);
    expect(await catalog()).toEqual(definitions);
    // The planner has the tables' column statistics at once (the import analysed them), not once autovacuum comes round.
    const statistics = await sql<{ tablename: string }>`
      select distinct tablename from pg_stats where schemaname = current_schema() and tablename in ('pathways', 'patients') order by tablename`.execute(database.db);
    expect(statistics.rows.map((row) => row.tablename)).toEqual(['pathways', 'patients']);

    // Pathways are numbered in the file's order, each with its own row's patient, and the tables'
    // sequences have moved past the ids the load took.
    const [header, ...lines] = (await readFile(file, 'utf8')).split('\n', 4);
    const columns = header!.split(',');
    const firstRows = lines.map((line) => line.split(',')).map((fields) => `${fields[columns.indexOf('pathway_ref')]} ${fields[columns.indexOf('nhs_number')]}`);
    const numbered = await sql<{ row: string }>`
      select w.pathway_ref || ' ' || p.nhs_number as row from pathways w join patients p on p.id = w.patient_id order by w.id limit 3`.execute(database.db);
    expect(numbered.rows.map((row) => row.row)).toEqual(firstRows);
    const joined = await sql<{ pathways: number; patients: number; next_pathway: number; last_pathway: number; next_patient: number; last_patient: number }>`
      select (select count(*) from pathways w join patients p on p.id = w.patient_id)::int as pathways,
             (select count(*) from patients)::int as patients,
             nextval(pg_get_serial_sequence('pathways', 'id')::regclass)::int as next_pathway, (select max(id) from pathways)::int as last_pathway,
             nextval(pg_get_serial_sequence('patients', 'id')::regclass)::int as next_patient, (select max(id) from patients)::int as last_patient`.execute(database.db);
    const { pathways, patients, next_pathway: nextPathway, last_pathway: lastPathway, next_patient: nextPatient, last_patient: lastPatient } = joined.rows[0]!;
    expect({ pathways, patients }).toEqual({ pathways: 100_000, patients: 100_000 });
    expect(nextPathway).toBeGreaterThan(lastPathway);
    expect(nextPatient).toBeGreaterThan(lastPatient);

    const again = await importFile(database.db, { kind: 'pathways', input: createReadStream(file), source: 'bulk', actor: 'test' });
    expect(again).toMatchObject({ status: 'applied', inserted: 0, updated: 0, unchanged: 100_000 });
  });
});
