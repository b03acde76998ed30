/**
 * Runs the migrations in db/migrations/ with Kysely's Migrator. Migrations are named by timestamp and
 * take Kysely<any>, so they stay frozen in time whatever the schema types later become.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileMigrationProvider, type Kysely, type MigrationResultSet, Migrator } from 'kysely';

const migrationFolder = fileURLToPath(new URL('./migrations', import.meta.url));

export function createMigrator(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider: new FileMigrationProvider({ fs, path, migrationFolder }) });
}

/** Migrates to the latest version; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const { error, results }: MigrationResultSet = await createMigrator(db).migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error) {
    const where = failed ? ` in ${failed.migrationName}` : '';
    throw new Error(`migration failed${where}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
