/**
 * Every migration, in order. Listed statically (rather than read from the folder at run time) so the
 * same code runs under tsx, vitest and any bundler. Names start with a timestamp; never rename one.
 */
import type { Migration } from 'kysely';
import * as foundation from './2026-11-22T0900_foundation';
import * as referenceData from './2026-11-22T1000_reference-data';
import * as transferFlow from './2026-11-22T1100_transfer-flow';
import * as fundsAndClaims from './2026-11-22T1200_funds-and-claims';
import * as campaigns from './2026-11-22T1300_campaigns';
import * as cheaperPatientChecks from './2026-12-01T0900_cheaper-patient-checks';
import * as slotsBySiteAndDay from './2026-12-01T1500_slots-by-site-and-day';
import * as operationalFigures from './2026-12-06T0900_operational-figures';
import * as slotsByDay from './2026-12-06T1000_slots-by-day';
import * as auditSearch from './2026-12-06T1010_audit-search';
import * as earlierTransfersAndOpenMonth from './2026-12-06T1300_earlier-transfers-and-open-month';
import * as campaignLaunchKeys from './2026-12-06T1400_campaign-launch-keys';
import * as nhsNumberPlaceholders from './2026-12-06T1600_nhs-number-placeholders';
import * as cohortByTrust from './2026-12-06T1800_cohort-by-trust';
import * as noCohortBySpecialtyIndex from './2026-12-06T1810_no-cohort-by-specialty-index';
import * as notifyMessages from './2026-12-06T1900_notify-messages';
import * as deliveryReceipts from './2026-12-06T1930_delivery-receipts';
import * as patientContactChannel from './2026-12-06T1950_patient-contact-channel';
import * as refusedMessages from './2026-12-06T1955_refused-messages';

export const migrations: Record<string, Migration> = {
  '2026-11-22T0900_foundation': foundation,
  '2026-11-22T1000_reference-data': referenceData,
  '2026-11-22T1100_transfer-flow': transferFlow,
  '2026-11-22T1200_funds-and-claims': fundsAndClaims,
  '2026-11-22T1300_campaigns': campaigns,
  '2026-12-01T0900_cheaper-patient-checks': cheaperPatientChecks,
  '2026-12-01T1500_slots-by-site-and-day': slotsBySiteAndDay,
  '2026-12-06T0900_operational-figures': operationalFigures,
  '2026-12-06T1000_slots-by-day': slotsByDay,
  '2026-12-06T1010_audit-search': auditSearch,
  '2026-12-06T1300_earlier-transfers-and-open-month': earlierTransfersAndOpenMonth,
  '2026-12-06T1400_campaign-launch-keys': campaignLaunchKeys,
  '2026-12-06T1600_nhs-number-placeholders': nhsNumberPlaceholders,
  '2026-12-06T1800_cohort-by-trust': cohortByTrust,
  '2026-12-06T1810_no-cohort-by-specialty-index': noCohortBySpecialtyIndex,
  '2026-12-06T1900_notify-messages': notifyMessages,
  '2026-12-06T1930_delivery-receipts': deliveryReceipts,
  '2026-12-06T1950_patient-contact-channel': patientContactChannel,
  '2026-12-06T1955_refused-messages': refusedMessages,
};
