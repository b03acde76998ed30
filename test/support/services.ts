/**
 * The real services most service-level tests need, set up together: a fresh database holding the
 * fixture world and a token per staff role, a Temporal namespace, and an SMTP server receiving mail.
 */
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
    async close() {
      await temporal.close();
      await mail.stop();
      await database.drop();
    },
  };
}
