/**
 * One interface per table, with Selectable / Insertable / Updateable aliases. Dates are ISO
 * 'YYYY-MM-DD' strings (see database.ts); timestamps are Date.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string | undefined, string>;

export const STAFF_ROLES = ['regional', 'clinician', 'provider', 'finance', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const PATHWAY_PRIORITIES = ['routine', 'urgent', 'cancer'] as const;
export type PathwayPriority = (typeof PATHWAY_PRIORITIES)[number];

export type PathwayStatus = 'waiting' | 'transferred_out' | 'treated' | 'closed';
export type MessageStatus = 'pending' | 'sending' | 'sent' | 'unconfirmed';
export type MessageChannel = 'email' | 'letter';

export interface RegionTable {
  code: string;
  name: string;
}

export interface TrustTable {
  ods_code: string;
  name: string;
  region_code: string | null;
  postcode: string | null;
}

export interface PatientTable {
  id: Generated<number>;
  nhs_number: string;
  given_name: string;
  family_name: string;
  date_of_birth: string;
  email: string | null;
  postcode: string | null;
  created_at: CreatedAt;
}

export interface PathwayTable {
  id: Generated<number>;
  patient_id: number;
  trust_ods: string;
  treatment_function_code: string;
  clock_start_date: string;
  priority: PathwayPriority;
  status: ColumnType<PathwayStatus, PathwayStatus | undefined, PathwayStatus>;
  created_at: CreatedAt;
}

export interface TransferTable {
  id: Generated<number>;
  pathway_id: number;
  workflow_id: string;
  workflow_run_id: string;
  state: string;
  opened_at: CreatedAt;
  updated_at: Timestamp;
  closed_at: Date | null;
}

export interface TransferEventTable {
  id: Generated<number>;
  transfer_id: number;
  at: CreatedAt;
  kind: string;
  detail: Json<Record<string, unknown>>;
}

export interface OfferTable {
  id: Generated<number>;
  transfer_id: number;
  token_hash: Buffer | null;
  expires_at: Date;
  created_at: CreatedAt;
}

export interface MessageTable {
  id: Generated<number>;
  transfer_id: number;
  intent: string;
  kind: string;
  channel: MessageChannel;
  status: ColumnType<MessageStatus, MessageStatus | undefined, MessageStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  smtp_message_id: string | null;
  created_at: CreatedAt;
  sent_at: Date | null;
}

export interface StaffUserTable {
  id: Generated<number>;
  name: string;
  email: string | null;
  role: StaffRole;
  region_code: string | null;
  trust_ods: string | null;
  provider_ods: string | null;
  created_at: CreatedAt;
  disabled_at: Date | null;
}

export interface StaffTokenTable {
  id: Generated<number>;
  user_id: number;
  token_hash: Buffer;
  label: string;
  created_at: CreatedAt;
  expires_at: Date | null;
  revoked_at: Date | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: CreatedAt;
  actor: string;
  action: string;
  subject: string;
  detail: Json<Record<string, unknown>>;
}

export interface DevMailboxTable {
  id: Generated<number>;
  received_at: CreatedAt;
  envelope_from: string | null;
  envelope_to: string[];
  message_id: string | null;
  subject: string;
  text_body: string | null;
  html_body: string | null;
}

export interface Database {
  regions: RegionTable;
  trusts: TrustTable;
  patients: PatientTable;
  pathways: PathwayTable;
  transfers: TransferTable;
  transfer_events: TransferEventTable;
  offers: OfferTable;
  messages: MessageTable;
  staff_users: StaffUserTable;
  staff_tokens: StaffTokenTable;
  audit_log: AuditLogTable;
  dev_mailbox: DevMailboxTable;
}

export type Patient = Selectable<PatientTable>;
export type NewPatient = Insertable<PatientTable>;
export type Pathway = Selectable<PathwayTable>;
export type NewPathway = Insertable<PathwayTable>;
export type Transfer = Selectable<TransferTable>;
export type NewTransfer = Insertable<TransferTable>;
export type TransferUpdate = Updateable<TransferTable>;
export type TransferEvent = Selectable<TransferEventTable>;
export type Offer = Selectable<OfferTable>;
export type Message = Selectable<MessageTable>;
export type StaffUser = Selectable<StaffUserTable>;
export type NewStaffUser = Insertable<StaffUserTable>;
export type DevMail = Selectable<DevMailboxTable>;
export type NewDevMail = Insertable<DevMailboxTable>;
