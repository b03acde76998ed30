/**
 * The worker's activities: every side effect of the workflows. Built from injected dependencies so
 * tests run them against the real database and SMTP server they choose.
 */
import type { Db } from '../db/database';
import type { Mailer } from '../emails/mailer';
import type { NotifySender } from '../emails/notify';
import { bookingActivities } from './bookings';
import { campaignActivities } from './campaigns';
import { claimActivities } from './claims';
import { messageActivities } from './messages';
import { transferActivities } from './transfers';

export interface ActivityDeps {
  readonly db: Db;
  readonly mailer: Mailer;
  /** GOV.UK Notify, for the channels it is configured for; absent, nothing is sent through it. */
  readonly notify?: NotifySender;
  /** Base of the links in messages to patients. */
  readonly publicBaseUrl: string;
  /** The number patients call to talk an offer through. */
  readonly patientPhone: string;
  readonly now: () => Date;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...transferActivities(deps),
    ...bookingActivities(deps),
    ...campaignActivities(deps),
    ...claimActivities(deps),
    ...messageActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
