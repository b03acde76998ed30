/**
 * The main command (`npm start`). With nothing configured it runs the whole service on this machine:
 * a Temporal dev server, PostgreSQL (local or embedded), an SMTP catcher, the worker and the API,
 * and prints where to find everything. Ctrl-C or SIGTERM stops it all cleanly.
 *
 * `main.ts api` and `main.ts worker` (`npm run api`, `npm run worker`) set SERVICE_ROLE: one process of
 * a deployment that shares Temporal, PostgreSQL and SMTP with the others.
 */
import { ConfigError, loadConfig } from './config';
import { createLogger } from './log';

async function main(): Promise<void> {
  const [role] = process.argv.slice(2);
  const config = loadConfig(role ? { ...process.env, SERVICE_ROLE: role } : process.env);
  const log = createLogger(config.LOG_LEVEL);
  const started = Date.now();
  // Loaded once the configuration is known to be good, so a bad one is refused in a moment.
  const { startStack } = await import('./stack');
  const stack = await startStack(config, log);

  const lines = [
    '',
    `Backlog Transfer is running (${config.SERVICE_ROLE}, started in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    '',
    ...Object.entries({
      'API': stack.urls.api,
      'API docs': stack.urls.docs,
      'Health': stack.urls.api && `${stack.urls.api}/health`,
      'Dev mailbox': stack.urls.devMailbox,
      'Temporal UI': stack.urls.temporalUi,
      'Temporal': stack.urls.temporal,
      'PostgreSQL': `${stack.urls.database} (${stack.databaseSource})`,
      'SMTP': stack.urls.smtp,
      'Bounces': stack.urls.bounces,
    })
      .filter(([, value]) => value)
      .map(([name, value]) => `  ${name.padEnd(12)} ${value}`),
  ];
  if (stack.staffTokens) {
    lines.push('', '  Staff tokens for this run (Authorization: Bearer <token>):');
    for (const [role, token] of Object.entries(stack.staffTokens)) lines.push(`    ${role.padEnd(10)} ${token}`);
  }
  lines.push('', 'Press Ctrl-C to stop.', '');
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    // A part that never stops (the log names it) must not keep the process from exiting: an operator's
    // SIGTERM, or an orchestrator's, ends it either way.
    const giveUpMs = config.SHUTDOWN_GRACE_SECONDS * 1000 + STOP_DEADLINE_MARGIN_MS;
    setTimeout(() => {
      log.error({ signal }, `did not stop within ${giveUpMs / 1000} s; exiting`);
      process.exit(1);
    }, giveUpMs).unref();
    stack.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'stopped, not cleanly');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

/** How long past the shutdown grace the process waits for its parts to stop before it exits regardless. */
const STOP_DEADLINE_MARGIN_MS = 15_000;

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Backlog Transfer failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
