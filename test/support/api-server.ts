/** The real API on a real port, for tests that drive it with fetch or Chromium. */
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createApp } from '../../api/app';
import type { AppDeps } from '../../api/context';

export interface TestApi {
  readonly app: ReturnType<typeof createApp>;
  readonly url: string;
  stop(): Promise<void>;
}

export async function startTestApi(deps: Omit<AppDeps, 'log' | 'maxBodyBytes' | 'maxImportBytes' | 'devMailbox' | 'patientPhone' | 'clock' | 'temporalUiOrigin'> & Partial<AppDeps>): Promise<TestApi> {
  const app = createApp({
    clock: () => new Date(),
    log: pino({ level: 'warn' }),
    maxBodyBytes: 1_048_576,
    maxImportBytes: 100_000_000,
    devMailbox: true,
    patientPhone: '0808 157 0192',
    temporalUiOrigin: 'http://localhost:8233',
    ...deps,
  });
  const server = await new Promise<ServerType>((resolve) => {
    const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started));
  });
  const { port } = server.address() as AddressInfo;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
