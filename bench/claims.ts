/**
 * `npm run bench -- claims [--transfers N]`: N treated transfers (default 30,000) to validated claim
 * lines, through the claims run's own step, on a fresh database. Target (PRODUCT.md §8): 30,000 in
 * 20 s or less, so the baseline printed beside the figure is that target's rate. The treated
 * transfers are made in bulk beforehand (not timed); so is gathering the lines into claims, which is
 * printed on its own.
 */
import path from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../config';
import { gatherClaims, prepareClaimLines } from '../db/repositories/claims';
import { createFund } from '../db/repositories/funds';
import { addDays, dayOf } from '../domain/dates';
import { seedHeldBookings, treatBookings } from '../generate/bookings';
import { generateWorld, loadWorld, PROJECT_REFERENCE_DIR } from '../generate/world';
import { benchDatabase, option, reportFigures } from './support';

const TARGET_SECONDS_FOR_30K = 20;

export async function benchClaims(args: readonly string[]): Promise<void> {
  const transfers = option(args, '--transfers', 30_000);
  const config = loadConfig();
  const today = dayOf(new Date());
  const treatedOn = `${addDays(`${today.slice(0, 8)}01`, -1).slice(0, 8)}10`;
  const bench = await benchDatabase(config);
  try {
    console.log('Loading a small world for its trusts, sites and prices …');
    const plan = await generateWorld({
      pathways: 1_000,
      seed: 7,
      asOf: today,
      outDir: path.join(config.DATA_DIR, 'bench', 'world-7-claims'),
      referenceDataDir: config.REFERENCE_DATA_DIR,
      projectReferenceDir: PROJECT_REFERENCE_DIR,
    });
    await loadWorld(bench.db, plan);
    const subject = await bench.db
      .selectFrom('pathways')
      .innerJoin('procedures', 'procedures.code', 'pathways.planned_procedure_code')
      .innerJoin('prices', 'prices.hrg_code', 'procedures.hrg_code')
      .innerJoin('slots', 'slots.treatment_function_code', 'pathways.treatment_function_code')
      .select(['pathways.trust_ods', 'pathways.treatment_function_code', 'pathways.planned_procedure_code', 'prices.unit_price_pence', 'prices.source', 'slots.site_ods'])
      .limit(1)
      .executeTakeFirstOrThrow();
    const { id: fundId } = await createFund(bench.db, {
      name: 'Claims benchmark fund',
      allocationPence: transfers * subject.unit_price_pence + 1,
      windowFrom: addDays(treatedOn, -60),
      windowTo: addDays(today, 60),
      regionCode: null,
      trusts: [],
      treatmentFunctions: [],
    });

    console.log(`Making ${transfers.toLocaleString('en-GB')} treated transfers …`);
    const bookings = await seedHeldBookings(bench.db, {
      fundId,
      count: transfers,
      trustOds: subject.trust_ods,
      siteOds: subject.site_ods,
      treatmentFunctionCode: subject.treatment_function_code,
      procedureCode: subject.planned_procedure_code!,
      procedureDate: treatedOn,
      pricePence: subject.unit_price_pence,
      priceSource: subject.source,
    });
    await treatBookings(bench.db, bookings, { procedureCode: subject.planned_procedure_code!, treatedOn });
    // As autovacuum would before a nightly run: the planner sees tables of their real size.
    await sql`analyze`.execute(bench.db);

    console.log('Validating claim lines …');
    const started = process.hrtime.bigint();
    const run = await prepareClaimLines(bench.db, fundId, today);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (run.validated !== transfers) throw new Error(`expected ${transfers} valid lines, got ${JSON.stringify(run)}`);
    const gatherStarted = process.hrtime.bigint();
    const claims = await gatherClaims(bench.db, fundId, today);
    const gatherSeconds = Number(process.hrtime.bigint() - gatherStarted) / 1e9;

    const targetSeconds = (TARGET_SECONDS_FOR_30K * transfers) / 30_000;
    await reportFigures(
      'claims',
      `Treated transfers to validated claim lines, ${transfers.toLocaleString('en-GB')} (${seconds.toFixed(2)} s)`,
      [{ name: 'claim lines', value: transfers / seconds, unit: 'lines/s', baseline: transfers / targetSeconds, baselineName: `target (${targetSeconds.toFixed(0)} s)`, targetRatio: 1 }],
      [
        `time: ${seconds.toFixed(2)} s for ${transfers.toLocaleString('en-GB')} lines (target ≤ ${targetSeconds.toFixed(0)} s: ${seconds <= targetSeconds ? 'met' : 'NOT met'})`,
        `gathering them into ${claims.length} claim(s): ${gatherSeconds.toFixed(2)} s`,
      ],
    );
  } finally {
    await bench.drop();
  }
}
