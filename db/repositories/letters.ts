import { type NotNull, type RawBuilder, sql } from 'kysely';
import type { Db } from '../database';
import type { Letter } from '../../emails/letter';
import type { MessageContent } from '../../emails/templates';

/**
 * Letters to patients without an email address. sendTransferMessage queues each one (status 'queued')
 * for its trust; the trust downloads a day's letters as one print batch, which marks them printed
 * ('sent'). Days are calendar days in England, whatever the server's time zone.
 */

/** How many recent days the list of batches shows; an older day stays listed while it has letters waiting. */
const LISTED_DAYS = 30;

export interface BatchLetter extends Letter {
  readonly id: number;
  readonly status: 'queued' | 'sent';
}

export interface BatchDay {
  readonly day: string;
  readonly queued: number;
  readonly printed: number;
}

/** The moment a calendar day ('YYYY-MM-DD', or a SQL date) begins in England. */
function londonMidnight(day: string | RawBuilder<string>): RawBuilder<Date> {
  return sql<Date>`(${day})::date::timestamp at time zone 'Europe/London'`;
}

const londonDayOf = sql<string>`(messages.created_at at time zone 'Europe/London')::date`;
const londonToday = sql<string>`(now() at time zone 'Europe/London')::date`;

/** The trust's ODS code and region, for scope checks; undefined for an unknown trust. */
export async function getTrust(db: Db, odsCode: string) {
  return db.selectFrom('trusts').select(['ods_code', 'region_code']).where('ods_code', '=', odsCode).executeTakeFirst();
}

/**
 * Every letter of the trust's batch for a day, printed or not (a lost download can be fetched
 * again), addressed from the patient's record as it is now.
 */
export async function printBatchLetters(db: Db, trustOds: string, day: string): Promise<BatchLetter[]> {
  const rows = await db
    .selectFrom('messages')
    .innerJoin('transfers', 'transfers.id', 'messages.transfer_id')
    .innerJoin('pathways', 'pathways.id', 'transfers.pathway_id')
    .innerJoin('patients', 'patients.id', 'pathways.patient_id')
    .select([
      'messages.id',
      'messages.status',
      'messages.letter',
      'patients.given_name',
      'patients.family_name',
      'patients.address_line_1',
      'patients.address_line_2',
      'patients.town',
      'patients.postcode',
    ])
    .where('messages.channel', '=', 'letter')
    .where('messages.trust_ods', '=', trustOds)
    .where('messages.status', 'in', ['queued', 'sent'])
    .where('messages.letter', 'is not', null)
    // A range rather than a cast of created_at, so the print queue's index on (trust_ods, created_at) serves it.
    .where('messages.created_at', '>=', londonMidnight(day))
    .where('messages.created_at', '<', londonMidnight(sql<string>`${day}::date + 1`))
    .orderBy('messages.id')
    .$narrowType<{ status: BatchLetter['status']; letter: NotNull }>()
    .execute();
  return rows.map((row) => ({
    id: row.id,
    status: row.status,
    // queueLetter writes the column from a MessageContent; the interface has no index signature to match the column's type.
    content: row.letter as unknown as MessageContent,
    to: {
      name: `${row.given_name} ${row.family_name}`,
      addressLine1: row.address_line_1,
      addressLine2: row.address_line_2,
      town: row.town,
      postcode: row.postcode,
    },
  }));
}

/**
 * The trust's batch days, newest first, with how many letters wait to be printed and how many have
 * been: the last 30 days, and any older day that still has letters waiting, so none is forgotten.
 */
export async function printBatchDays(db: Db, trustOds: string): Promise<BatchDay[]> {
  return db
    .selectFrom('messages')
    .select((eb) => [
      londonDayOf.as('day'),
      eb.fn.countAll<number>().filterWhere('status', '=', 'queued').as('queued'),
      eb.fn.countAll<number>().filterWhere('status', '=', 'sent').as('printed'),
    ])
    .where('channel', '=', 'letter')
    .where('trust_ods', '=', trustOds)
    .where('status', 'in', ['queued', 'sent'])
    .where((eb) =>
      eb.or([eb('created_at', '>=', londonMidnight(sql<string>`${londonToday} - ${sql.lit(LISTED_DAYS - 1)}`)), eb('status', '=', 'queued')]),
    )
    .groupBy(londonDayOf)
    .orderBy('day', 'desc')
    .execute();
}

/**
 * Marks these letters printed. Only the ones that went into the PDF are named: a letter queued for
 * today while the batch was being made waits for the next download instead of being lost.
 */
export async function markLettersPrinted(db: Db, messageIds: readonly number[]): Promise<number> {
  if (messageIds.length === 0) return 0;
  const result = await db
    .updateTable('messages')
    .set({ status: 'sent', sent_at: sql`now()` })
    .where('id', 'in', messageIds)
    .where('channel', '=', 'letter')
    .where('status', '=', 'queued')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
