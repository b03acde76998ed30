/** What every route can reach: what the use cases are given, the web layer's own settings and, behind auth, the signed-in staff user. */
import type { Logger } from 'pino';
import type { StaffUser } from '../db/schema';
import type { Mailer } from '../emails/mailer';
import type { ServiceDeps } from '../services/context';

export interface AppDeps extends ServiceDeps {
  readonly mailer: Mailer;
  readonly log: Logger;
  /** Serve /dev/mailbox: only when the embedded SMTP catcher is the mail server. */
  readonly devMailbox: boolean;
  readonly maxBodyBytes: number;
  readonly maxImportBytes: number;
  /** The number patients call about an offer, printed on letters. */
  readonly patientPhone: string;
  /** The bearer token GOV.UK Notify sends with its delivery receipts; unset, POST /callbacks/notify is not there. */
  readonly notifyCallbackToken?: string;
  /** Text messages are sent (GOV.UK Notify is set up for them), so a patient's page offers them. */
  readonly textMessages?: boolean;
  /** When set, GET /metrics needs it as a bearer token. */
  readonly metricsToken?: string;
  /** The Temporal UI's origin: the one origin CORS lets call /codec/decode; none, no browser app may. */
  readonly temporalUiOrigin: string | undefined;
}

export interface AppEnv {
  Variables: {
    staff: StaffUser;
  };
}
