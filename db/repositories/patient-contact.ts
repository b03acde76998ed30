/**
 * How the patient is contacted, as their page shows and changes it: read through their offer's link
 * (only while it is live), every read and change audited as that offer's patient.
 */
import { sql } from 'kysely';
import type { PatientChannel } from '../../domain/channels';
import type { Db } from '../database';
import { hashToken } from '../tokens';
import { audit } from './audit';
import { patientActor } from './offer-page';

export interface PatientContactDetails {
  readonly offerId: number;
  readonly transferId: number;
  readonly patientId: number;
  readonly phone: string | null;
  readonly email: string | null;
  readonly contactChannel: PatientChannel | null;
}

/** The contact details behind a live link; the read is audited. */
export async function patientContactByToken(db: Db, token: string): Promise<PatientContactDetails | undefined> {
  const row = await db
    .selectFrom('offers')
    .innerJoin('transfers', 'transfers.id', 'offers.transfer_id')
    .innerJoin('pathways', 'pathways.id', 'transfers.pathway_id')
    .innerJoin('patients', 'patients.id', 'pathways.patient_id')
    .select([
      'offers.id as offerId',
      'transfers.id as transferId',
      'patients.id as patientId',
      'patients.phone as phone',
      'patients.email as email',
      'patients.contact_channel as contactChannel',
    ])
    .where('offers.token_hash', '=', hashToken(token))
    .where('offers.expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  if (row) await audit(db, { actor: patientActor(row.offerId), action: 'patient.contact.view', subject: `patient:${row.patientId}` });
  return row;
}

/** Records the channel the patient chose, and who chose it, together. */
export async function choosePatientChannel(db: Db, details: PatientContactDetails, channel: PatientChannel): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('patients').set({ contact_channel: channel }).where('id', '=', details.patientId).execute();
    await audit(trx, {
      actor: patientActor(details.offerId),
      action: 'patient.contact.change',
      subject: `patient:${details.patientId}`,
      detail: { from: details.contactChannel, to: channel, transferId: details.transferId },
    });
  });
}
