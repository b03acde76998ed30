/**
 * The real services most service-level tests need, set up together: a fresh database holding the
 * fixture world and a token per staff role, a Temporal namespace, and an SMTP server receiving mail.
 */
import pino from 'pino';
import type { AppDeps } from '../../api/context';
import { issueDemoStaffTokens } from '../../db/demo';
import type { StaffRole } from '../../db/schema';
import { createTestDatabase, type TestDatabase } from './database';
import { loadFixtureWorld } from './fixture-world';
import { startTestMail } from './mail';
import { startTestApi, type TestApi } from './api-server';
import { createTestTemporal, type TestTemporal, type TestTemporalOptions } from './temporal';
import type { RunningWorker } from '../../temporal/worker';

/** The helpline printed on test letters and messages. */
export const TEST_PATIENT_PHONE = '0808 157 0192';
/** The Temporal UI origin the test API lets through CORS. */
export const TEST_TEMPORAL_UI_ORIGIN = 'http://localhost:8233';

export interface TestServices {
  readonly database: TestDatabase;
  readonly temporal: TestTemporal;
  readonly mail: Awaited<ReturnType<typeof startTestMail>>;
  readonly tokens: Record<StaffRole, string>;
  /** The API's dependencies on these services; a test overrides what it examines (the body limits, say). */
  appDeps(overrides?: Partial<AppDeps>): AppDeps;
  /** The real API on a real port over these services, for fetch and Chromium; stopped by close(). */
  startApi(overrides?: Partial<AppDeps>): Promise<TestApi>;
  /** A worker with the real activities over these services; links in messages start with publicBaseUrl. */
  startWorker(publicBaseUrl?: string): Promise<RunningWorker>;
  close(): Promise<void>;
}

export async function startTestServices(options: { readonly temporal?: TestTemporalOptions } = {}): Promise<TestServices> {
  const database = await createTestDatabase();
  await loadFixtureWorld(database.db);
  const tokens = await issueDemoStaffTokens(database.db);
  const temporal = await createTestTemporal(options.temporal);
  const mail = await startTestMail(database.db);
  const apis: TestApi[] = [];
  const appDeps = (overrides: Partial<AppDeps> = {}): AppDeps => ({
      db: database.db,
      temporal: temporal.client,
      taskQueue: temporal.taskQueue,
      clock: () => new Date(),
      mailer: mail.mailer,
      log: pino({ level: 'silent' }),
      devMailbox: true,
      maxBodyBytes: 1_048_576,
      maxImportBytes: 100_000_000,
      patientPhone: TEST_PATIENT_PHONE,
      temporalUiOrigin: TEST_TEMPORAL_UI_ORIGIN,
      // The shared test machine can be far slower than production: an Update that is coming gets time
      // to come. The deadline's own test sets a short one.
      updateDeadlineMs: 60_000,
      ...overrides,
    });
  return {
    database,
    temporal,
    mail,
    tokens,
    appDeps,
    async startApi(overrides: Partial<AppDeps> = {}) {
      const api = await startTestApi(appDeps({ log: pino({ level: 'warn' }), ...overrides }));
      apis.push(api);
      return api;
    },
    startWorker: (publicBaseUrl = 'http://localhost') =>
      temporal.startWorker({ db: database.db, mailer: mail.mailer, publicBaseUrl, patientPhone: TEST_PATIENT_PHONE, now: () => new Date() }),
    async close() {
      await Promise.all(apis.map((api) => api.stop()));
      await temporal.close();
      await mail.stop();
      await database.drop();
    },
  };
}
