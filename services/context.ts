/** What every use case is given: the database, Temporal (and the task queue its workers poll), and the clock. */
import type { Client } from '@temporalio/client';
import type { Db } from '../db/database';

export interface ServiceDeps {
  readonly db: Db;
  readonly temporal: Client;
  readonly taskQueue: string;
  /** Now, as the use cases reckon it: today's date for rules, the time of a launch. */
  readonly clock: () => Date;
  /** How long an Update may take before the change is Unavailable; UPDATE_DEADLINE_MS unless a test shortens it. */
  readonly updateDeadlineMs?: number;
}
