/**
 * Runs the migrations of db/migrations/ with Kysely's Migrator. Migrations take Kysely<any>, so they
 * stay frozen in time whatever the schema types later become.
 */
import { type Kysely, Migrator } from 'kysely';
import { migrations } from './migrations';

/** Migrates to the latest version; throws naming the migration that failed. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error');
    const where = failed ? ` in ${failed.migrationName}` : '';
    throw new Error(`migration failed${where}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
