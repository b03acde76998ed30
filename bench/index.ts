/**
 * `npm run bench -- <name>`: the speed targets of PRODUCT.md §8, each measured beside its baseline on
 * the same machine in the same run, and printed as a ratio. Never run as tests.
 */
import { benchClaims } from './claims';
import { benchImport } from './import';
import { benchCampaign } from './campaign';
import { benchCohort } from './cohort';
import { benchMatching } from './matching';
import { benchOpenTransfers } from './open-transfers';
import { benchPage } from './page';

const BENCHMARKS: Record<string, (args: readonly string[]) => Promise<void>> = {
  import: benchImport,
  claims: benchClaims,
  campaign: benchCampaign,
  matching: benchMatching,
  cohort: benchCohort,
  'open-transfers': benchOpenTransfers,
  page: benchPage,
};

const [name, ...args] = process.argv.slice(2);
const benchmark = name ? BENCHMARKS[name] : undefined;
if (!benchmark) {
  console.error(`usage: npm run bench -- <${Object.keys(BENCHMARKS).join('|')}> [options]`);
  process.exit(2);
}
benchmark(args).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
