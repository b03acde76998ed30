/** What every route can reach: the injected services and, behind auth, the signed-in staff user. */
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Db } from '../db/database';
import type { StaffUser } from '../db/schema';
import type { Mailer } from '../emails/mailer';

export interface AppDeps {
  readonly db: Db;
  readonly temporal: Client;
  readonly taskQueue: string;
  readonly mailer: Mailer;
  readonly log: Logger;
  /** Serve /dev/mailbox: only when the embedded SMTP catcher is the mail server. */
  readonly devMailbox: boolean;
  readonly maxBodyBytes: number;
  readonly maxImportBytes: number;
  /** The number patients call about an offer, printed on letters. */
  readonly patientPhone: string;
}

export interface AppEnv {
  Variables: {
    staff: StaffUser;
  };
}
