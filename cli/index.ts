/**
 * The command line: `npm run cli -- <command>`. Each command resolves the database the same way the
 * service does (DATABASE_URL, the local server, or the embedded one) and exits non-zero on failure.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { ConfigError, loadConfig } from '../config';
import { createDb, type Db } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import { audit } from '../db/repositories/audit';
import { createStaffUser, issueStaffToken } from '../db/repositories/staff';
import { STAFF_ROLES, type StaffRole } from '../db/schema';
import { resolveDatabaseServer } from '../db/server';
import { createLogger } from '../log';

const config = loadConfig();
const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, 'cli');

async function withDatabase<T>(work: (db: Db) => Promise<T>): Promise<T> {
  const server = await resolveDatabaseServer({
    databaseUrl: config.DATABASE_URL,
    localDatabaseUrl: config.LOCAL_DATABASE_URL,
    embeddedPort: config.EMBEDDED_POSTGRES_PORT,
    dataDir: config.DATA_DIR,
    log,
  });
  const db = createDb(server.url, { poolSize: 2, onIdleError: (error) => log.warn({ err: error }, 'database connection lost') });
  try {
    return await work(db);
  } finally {
    await db.destroy();
    await server.stop();
  }
}

const odsCode = (value: string) => {
  const code = value.trim().toUpperCase();
  if (!/^[A-Z0-9]{3,5}$/.test(code)) throw new InvalidArgumentError('an ODS code is 3 to 5 letters and digits, e.g. RWE');
  return code;
};
const positiveInt = (value: string) => {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new InvalidArgumentError('must be a positive whole number');
  return number;
};

const program = new Command('backlog-transfer').description('Backlog Transfer command line').showHelpAfterError();

program
  .command('migrate')
  .description('bring the database schema up to date')
  .action(async () => {
    const applied = await withDatabase((db) => migrateToLatest(db));
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
  });

program
  .command('users:create')
  .description('create a staff user and print their bearer token (shown once, stored hashed)')
  .requiredOption('--name <name>', "the person's or team's name")
  .addOption(new Option('--role <role>', 'what they do').choices(STAFF_ROLES).makeOptionMandatory())
  .option('--email <email>', 'contact address')
  .option('--region <code>', 'region scope (required for regional; optional for finance)', odsCode)
  .option('--trust <ods>', "trust scope (required for clinician)", odsCode)
  .option('--provider <ods>', 'provider scope (required for provider)', odsCode)
  .option('--expires-days <days>', 'token lifetime in days (default: no expiry)', positiveInt)
  .action(async (options: { name: string; role: StaffRole; email?: string; region?: string; trust?: string; provider?: string; expiresDays?: number }) => {
    const needs: Partial<Record<StaffRole, [keyof typeof options, string]>> = {
      regional: ['region', '--region'],
      clinician: ['trust', '--trust'],
      provider: ['provider', '--provider'],
    };
    const need = needs[options.role];
    if (need && !options[need[0]]) throw new Error(`a ${options.role} user needs ${need[1]}`);
    const token = await withDatabase(async (db) => {
      const user = await createStaffUser(db, {
        name: options.name,
        role: options.role,
        email: options.email ?? null,
        region_code: options.region ?? null,
        trust_ods: options.trust ?? null,
        provider_ods: options.provider ?? null,
      });
      const expiresAt = options.expiresDays ? new Date(Date.now() + options.expiresDays * 86_400_000) : null;
      await audit(db, { actor: 'cli', action: 'staff.create', subject: `staff:${user.id}`, detail: { role: user.role } });
      return issueStaffToken(db, user.id, 'cli', expiresAt);
    });
    console.log(token);
  });

program.parseAsync().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
