/**
 * `npm run bench -- cohort [--pathways N] [--region CODE] [--first F] [--page P]`: cohort selection
 * (PRODUCT.md §8, issue 18) over a generated world of N pathways (default 7.6 million, England's
 * waiting list) loaded through the ordinary import, for every trust of one region (default Y60,
 * Midlands) and every specialty, by the rules' defaults, as the world's day sees them:
 *
 * - the first page of F (default 100: the campaign's page, workflows/campaign.ts PAGE), as a campaign
 *   reads it when it starts: the median of three, the first (colder) one printed beside it;
 * - the whole cohort by keyset pages of P (default 1,000: the dry run's page, reports/campaign-dry-run.ts
 *   PAGE), as a dry run walks it, with what the first, the median and the slowest page cost: a walk
 *   whose every page costs as much as the first is the defect the targets rule out;
 * - the plans (EXPLAIN (ANALYZE, BUFFERS)) of the first page and of the walk's last page.
 *
 * Baseline: `select count(*) from pathways`, every row of the table read once (median of three).
 * Targets: the first page in 100 ms or less; the whole region in 10 s or less.
 */
import { sql } from 'kysely';
import { loadConfig } from '../config';
import { cohortPage, type CohortPathway, type CohortQuery } from '../db/repositories/cohort';
import { DEFAULT_COHORT_RULES, type CohortCursor } from '../domain/cohort';
import { loadWorld } from '../generate/world';
import { benchDatabase, benchWorld, explainStatement, formatNumber, option, reportFigures, secondsSince } from './support';

const AS_OF = '2026-11-22';
const FIRST_PAGE_TARGET_MS = 100;
const WALK_TARGET_SECONDS = 10;

export async function benchCohort(args: readonly string[]): Promise<void> {
  const pathways = option(args, '--pathways', 7_600_000);
  const firstSize = option(args, '--first', 100);
  const pageSize = option(args, '--page', 1_000);
  const regionIndex = args.indexOf('--region');
  const region = regionIndex < 0 ? 'Y60' : (args[regionIndex + 1] ?? '');
  const config = loadConfig();
  const plan = await benchWorld(config, pathways, AS_OF);
  const bench = await benchDatabase(config);
  try {
    console.log('Loading the world through the imports (not timed) …');
    const loadStarted = process.hrtime.bigint();
    await loadWorld(bench.db, plan);
    // As autovacuum would have by the time anyone launches a campaign: the planner sees the real tables.
    await sql`vacuum analyze`.execute(bench.db);
    console.log(`  loaded in ${secondsSince(loadStarted).toFixed(0)} s`);

    const trusts = (await bench.db.selectFrom('trusts').select('ods_code').where('region_code', '=', region).orderBy('ods_code').execute()).map((row) => row.ods_code);
    if (trusts.length === 0) throw new Error(`--region ${region}: no trust of the world is in that region`);
    const treatmentFunctions = (await bench.db.selectFrom('treatment_functions').select('code').orderBy('code').execute()).map((row) => row.code);
    const query: Omit<CohortQuery, 'limit'> = { trusts, treatmentFunctions, rules: DEFAULT_COHORT_RULES, asOf: AS_OF };
    const inRegion = (await bench.db.selectFrom('pathways').select((eb) => eb.fn.countAll<number>().as('count')).where('trust_ods', 'in', trusts).executeTakeFirstOrThrow()).count;

    console.log('Baseline: count(*) of the table …');
    const counts = await timedThrice(() => bench.db.selectFrom('pathways').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow());
    const rowsInTable = counts.result.count;

    console.log(`First page of ${firstSize} …`);
    const first = await timedThrice(() => cohortPage(bench.db, { ...query, limit: firstSize }));

    console.log(`The whole cohort by pages of ${pageSize} …`);
    const pageMs: number[] = [];
    let candidates = 0;
    let after: CohortCursor | undefined;
    let lastAfter: CohortCursor | undefined;
    const walkStarted = process.hrtime.bigint();
    for (;;) {
      const pageStarted = process.hrtime.bigint();
      const page: CohortPathway[] = await cohortPage(bench.db, { ...query, ...(after ? { after } : {}), limit: pageSize });
      pageMs.push(secondsSince(pageStarted) * 1000);
      if (page.length === 0) break;
      candidates += page.length;
      lastAfter = after;
      const last = page.at(-1)!;
      after = { clockStartDate: last.clockStartDate, pathwayId: last.pathwayId };
      if (pageMs.length % 50 === 0) console.log(`  ${pageMs.length} pages, ${candidates.toLocaleString('en-GB')} candidates, ${secondsSince(walkStarted).toFixed(0)} s`);
    }
    const walkSeconds = secondsSince(walkStarted);
    const sorted = [...pageMs].sort((a, b) => a - b);

    const plans = {
      first: await explainStatement(bench.url, (db) => cohortPage(db, { ...query, limit: firstSize })),
      last: await explainStatement(bench.url, (db) => cohortPage(db, { ...query, ...(lastAfter ? { after: lastAfter } : {}), limit: pageSize })),
    };
    console.log(`\nPlan of the first page (${firstSize}):\n${plans.first}`);
    console.log(`\nPlan of the walk's last page of candidates (${pageSize}, after ${JSON.stringify(lastAfter ?? null)}):\n${plans.last}`);

    await reportFigures(
      'cohort',
      `Cohort selection, region ${region} (${trusts.length} trusts, ${treatmentFunctions.length} specialties) over ${rowsInTable.toLocaleString('en-GB')} pathways: ` +
        `${candidates.toLocaleString('en-GB')} candidates of ${inRegion.toLocaleString('en-GB')} pathways in the region`,
      [
        { name: `first page of ${firstSize}`, value: first.medianMs, unit: 'ms', baseline: counts.medianMs, baselineName: 'count(*) of the table', better: 'lower', target: FIRST_PAGE_TARGET_MS },
        {
          name: `whole region by pages of ${pageSize}`,
          value: walkSeconds,
          unit: 's',
          baseline: counts.medianMs / 1000,
          baselineName: 'count(*) of the table',
          better: 'lower',
          target: WALK_TARGET_SECONDS,
        },
      ],
      [
        `first page: ${formatNumber(first.firstMs)} ms the first time, then ${first.allMs.slice(1).map(formatNumber).join(' and ')} ms`,
        `walk: ${pageMs.length} pages (the last one empty); per page first ${formatNumber(pageMs[0]!)} ms, median ${formatNumber(sorted[Math.floor(sorted.length / 2)]!)} ms, ` +
          `slowest ${formatNumber(sorted.at(-1)!)} ms, last non-empty ${formatNumber(pageMs.at(-2) ?? 0)} ms`,
        `count(*): ${counts.allMs.map(formatNumber).join(', ')} ms; rules ${JSON.stringify(DEFAULT_COHORT_RULES)} as of ${AS_OF}`,
      ],
      { region, trusts, treatmentFunctions, pathways: rowsInTable, inRegion, candidates, pageSize, firstSize, pageMs, firstPageMs: first.allMs, countMs: counts.allMs, plans },
    );
  } finally {
    await bench.drop();
  }
}

/** Runs the work three times in a row: its result, the median time, and the first (coldest) time. */
async function timedThrice<T>(work: () => Promise<T>): Promise<{ result: T; medianMs: number; firstMs: number; allMs: number[] }> {
  const allMs: number[] = [];
  let result!: T;
  for (let run = 0; run < 3; run++) {
    const started = process.hrtime.bigint();
    result = await work();
    allMs.push(secondsSince(started) * 1000);
  }
  return { result, medianMs: [...allMs].sort((a, b) => a - b)[1]!, firstMs: allMs[0]!, allMs };
}

