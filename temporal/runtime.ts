/**
 * The Temporal SDK's process-wide runtime: its logs go through our logger, and it leaves signals to
 * us, so Ctrl-C stops the service in order (API, worker, clients, servers) instead of the SDK's way.
 * Given an address, it serves the worker's metrics (temporal_*: task slots, polls, latencies) for
 * Prometheus at http://<address>/metrics.
 */
import { Runtime, type LogLevel, type LogMetadata } from '@temporalio/worker';
import type { Logger } from 'pino';

let installed = false;

/** Installs the runtime once per process; later calls keep the first. Call before any Temporal use. */
export function installTemporalRuntime(log: Logger, options: { metricsAddress?: string } = {}): void {
  if (installed) return;
  const sdkLog = log.child({ component: 'temporal-sdk' });
  const write = (level: LogLevel, message: string, meta?: LogMetadata) => {
    const method = level === 'TRACE' ? 'trace' : level === 'DEBUG' ? 'debug' : level === 'INFO' ? 'info' : level === 'WARN' ? 'warn' : 'error';
    sdkLog[method](meta ?? {}, message);
  };
  Runtime.install({
    shutdownSignals: [],
    ...(options.metricsAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress: options.metricsAddress } } } } : {}),
    logger: {
      log: write,
      trace: (message, meta) => write('TRACE', message, meta),
      debug: (message, meta) => write('DEBUG', message, meta),
      info: (message, meta) => write('INFO', message, meta),
      warn: (message, meta) => write('WARN', message, meta),
      error: (message, meta) => write('ERROR', message, meta),
    },
  });
  installed = true;
}
