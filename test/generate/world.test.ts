/**
 * The synthetic world: the same seed gives the same files; the world loads through the ordinary
 * imports without a single problem; and its shape follows the real data it was built from.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shortfallReport } from '../../reports/shortfall';
import { generateWorld, loadWorld, PROJECT_REFERENCE_DIR, type WorldPlan } from '../../generate/world';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { REFERENCE_DATA_DIR } from '../support/reference-data';

let database: TestDatabase;
let dirs: string[] = [];
let plan: WorldPlan;

const generate = async (seed: number, pathways = 3_000) => {
  const outDir = await mkdtemp(path.join(tmpdir(), 'bt-world-'));
  dirs.push(outDir);
  return generateWorld({
    pathways,
    seed,
    asOf: '2026-11-22',
    outDir,
    referenceDataDir: REFERENCE_DATA_DIR,
    projectReferenceDir: PROJECT_REFERENCE_DIR,
  });
};

const digest = async (world: WorldPlan) => {
  const hash = createHash('sha256');
  for (const step of world.steps.filter((candidate) => candidate.file.includes('bt-world-'))) {
    hash.update(path.basename(step.file)).update(await readFile(step.file));
  }
  return hash.digest('hex');
};

beforeAll(async () => {
  database = await createTestDatabase();
  plan = await generate(42);
});

afterAll(async () => {
  await database?.drop();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  dirs = [];
});

describe('the generated world', () => {
  it('is the same for the same seed, and differs for another', { timeout: 60_000 }, async () => {
    expect(await digest(await generate(42))).toBe(await digest(plan));
    expect(await digest(await generate(43))).not.toBe(await digest(plan));
  });

  it('loads through the ordinary imports without a problem', { timeout: 120_000 }, async () => {
    const reports = await loadWorld(database.db, plan);
    expect(reports.every((report) => report.status === 'applied')).toBe(true);
    const count = async (table: 'pathways' | 'patients' | 'sites' | 'slots') =>
      (await database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    expect(await count('pathways')).toBe(3_000);
    expect(await count('patients')).toBe(3_000);
    expect(await count('sites')).toBeGreaterThan(100);
    expect(await count('slots')).toBe(150); // 5% of the pathways
  });

  it('follows the real waiting lists: biggest trusts biggest, and the weeks waited of RTT Part_2', async () => {
    const byTrust = await database.db
      .selectFrom('pathways')
      .select(['trust_ods', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('trust_ods')
      .orderBy('n', 'desc')
      .execute();
    // In April 2026 Mid and South Essex (RAJ) had the longest list in the named specialties, then
    // Salford (RM3) and Manchester (R0A); pathways are shared out in exact proportion.
    expect(byTrust.slice(0, 3).map((row) => row.trust_ods)).toEqual(['RAJ', 'RM3', 'R0A']);
    const under18 = await database.db
      .selectFrom('pathways')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('clock_start_date', '>', '2026-07-26')
      .executeTakeFirstOrThrow();
    // Nationally 64.9% of incomplete pathways were under 18 weeks; the named specialties are close.
    expect(under18.n / 3_000).toBeGreaterThan(0.58);
    expect(under18.n / 3_000).toBeLessThan(0.72);
  });

  it('has a realistic share of trusts missing their volume', async () => {
    const report = await shortfallReport(database.db, { from: '2025-11', to: '2026-10', tolerance: 0.05, asOf: '2026-11-22' });
    const share = report.lines.filter((line) => line.missed).length / report.lines.length;
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.55);
  });

  it('gives patients valid, never-issued NHS numbers and clinical facts that exercise the criteria', async () => {
    const patients = await database.db.selectFrom('patients').selectAll().execute();
    expect(patients.every((patient) => patient.nhs_number.startsWith('999'))).toBe(true);
    const share = (test: (patient: (typeof patients)[number]) => boolean) => patients.filter(test).length / patients.length;
    expect(share((patient) => patient.email === null)).toBeGreaterThan(0.1);
    expect(share((patient) => Number(patient.bmi) > 40)).toBeGreaterThan(0.01);
    expect(share((patient) => patient.anticoagulated)).toBeGreaterThan(0.02);
    expect(share((patient) => patient.diabetes === 'uncontrolled')).toBeGreaterThan(0.005);
    expect(share((patient) => patient.last_heart_attack_on !== null)).toBeGreaterThan(0.005);
    expect(new Set(patients.map((patient) => patient.ethnic_category)).size).toBeGreaterThan(10);
  });
});
