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
import { createTestTemporal, type TestTemporal } from './temporal';

export interface TestServices {
  readonly database: TestDatabase;
  readonly temporal: TestTemporal;
  readonly mail: Awaited<ReturnType<typeof startTestMail>>;
  readonly tokens: Record<StaffRole, string>;
  /** The API's dependencies on these services; a test overrides what it examines (the body limits, say). */
  appDeps(overrides?: Partial<AppDeps>): AppDeps;
  close(): Promise<void>;
}

export async function startTestServices(): Promise<TestServices> {
  const database = await createTestDatabase();
  await loadFixtureWorld(database.db);
  const tokens = await issueDemoStaffTokens(database.db);
  const temporal = await createTestTemporal();
  const mail = await startTestMail(database.db);
  return {
    database,
    temporal,
    mail,
    tokens,
    appDeps: (overrides = {}) => ({
      db: database.db,
      temporal: temporal.client,
      taskQueue: temporal.taskQueue,
      mailer: mail.mailer,
      log: pino({ level: 'silent' }),
      devMailbox: true,
      maxBodyBytes: 1_048_576,
      maxImportBytes: 100_000_000,
      patientPhone: '0808 157 0192',
      ...overrides,
    }),
    async close() {
      await temporal.close();
      await mail.stop();
      await database.drop();
    },
  };
}
