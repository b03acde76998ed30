/**
 * One interface per table, with Selectable / Insertable / Updateable aliases. Dates are ISO
 * 'YYYY-MM-DD' strings (see database.ts); timestamps are Date.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { CampaignStatus } from '../domain/campaign-control';
import type { DeliveryStatus } from '../domain/delivery';
import type { Outcome, TransferState } from '../domain/transfer';
import type { PatientChannel } from '../domain/channels';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string | undefined, string>;

export const STAFF_ROLES = ['regional', 'clinician', 'provider', 'finance', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const PATHWAY_PRIORITIES = ['routine', 'urgent', 'cancer'] as const;
export type PathwayPriority = (typeof PATHWAY_PRIORITIES)[number];

export type PathwayStatus = 'waiting' | 'transferred_out' | 'treated' | 'closed';
export const SEXES = ['female', 'male', 'other', 'unknown'] as const;
export type Sex = (typeof SEXES)[number];
export const CONDITION_CONTROL = ['none', 'controlled', 'uncontrolled'] as const;
export type ConditionControl = (typeof CONDITION_CONTROL)[number];
/** numeric columns come back from pg as strings, so no precision is lost on the way. */
type Numeric = ColumnType<string, string | number, string | number>;
/** `refused`: GOV.UK Notify refused the message when it was sent (a 400); it did not go, and is not sent again. */
export type MessageStatus = 'pending' | 'sending' | 'queued' | 'sent' | 'unconfirmed' | 'refused';
export const MESSAGE_CHANNELS = ['sms', 'email', 'letter'] as const;
export type MessageChannel = (typeof MESSAGE_CHANNELS)[number];
export type MessageRecipient = 'patient' | 'trust';
export type ReviewDecision = 'confirmed' | 'refused';
export type ResponseKind = 'accept' | 'decline' | 'callback' | 'withdraw';
export const RESPONSE_CHANNELS = ['web', 'phone', 'letter'] as const;
export type ResponseChannel = (typeof RESPONSE_CHANNELS)[number];
export const BOOKING_STATUSES = ['held', 'requested', 'accepted', 'rejected', 'released', 'cancelled', 'completed'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];
/** A rejection hands a rejected claim's money back to the fund. */
export type FundMovementKind = 'commitment' | 'release' | 'claim' | 'payment' | 'rejection';
/** month_open: valid and its money claimed, waiting for its month to end to join a claim. */
export const CLAIM_LINE_STATUSES = ['held', 'month_open', 'valid', 'rejected'] as const;
export type ClaimLineStatus = (typeof CLAIM_LINE_STATUSES)[number];
export const CLAIM_STATUSES = ['submitted', 'approved', 'rejected', 'paid'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

export interface RegionTable {
  code: string;
  name: string;
}

export interface TrustTable {
  ods_code: string;
  name: string;
  region_code: string | null;
  postcode: string | null;
  latitude: number | null;
  longitude: number | null;
}

export interface ProviderTable {
  ods_code: string;
  name: string;
}

export interface SiteTable {
  ods_code: string;
  provider_ods: string;
  name: string;
  postcode: string | null;
  latitude: number | null;
  longitude: number | null;
}

export interface TreatmentFunctionTable {
  code: string;
  name: string;
  rtt_group: string | null;
}

export interface HrgTable {
  code: string;
  name: string;
}

export interface ProcedureTable {
  code: string;
  name: string;
  chapter: string;
  selectable: boolean;
  hrg_code: string | null;
}

export interface PriceTable {
  id: Generated<number>;
  hrg_code: string;
  unit_price_pence: number;
  effective_from: string;
  effective_to: string | null;
  source: string;
}

export interface MarketForcesFactorTable {
  id: Generated<number>;
  provider_ods: string;
  /** numeric(7,5): read as a string to keep every digit; convert with Number() where arithmetic needs it. */
  factor: ColumnType<string, string | number, string | number>;
  effective_from: string;
  effective_to: string | null;
  source: string;
}

export interface SiteExclusionCriteriaTable {
  site_ods: string;
  criteria: Json<Record<string, unknown>>;
  updated_at: Timestamp;
}

export interface ContractTable {
  trust_ods: string;
  treatment_function_code: string;
  month: string;
  contracted_volume: number;
}

export interface ActivityTable {
  trust_ods: string;
  treatment_function_code: string;
  month: string;
  delivered_volume: number;
}

export interface PostcodeDistrictTable {
  outcode: string;
  latitude: number;
  longitude: number;
}

export interface LsoaTable {
  code: string;
  name: string;
  local_authority: string;
  imd_rank: number;
  imd_decile: number;
}

export interface SlotTable {
  id: Generated<number>;
  site_ods: string;
  treatment_function_code: string;
  procedure_code: string | null;
  slot_date: string;
  ordinal: number;
}

export interface ImportRunTable {
  id: Generated<number>;
  kind: string;
  source_name: string;
  format: string;
  actor: string;
  status: 'applied' | 'rejected' | 'failed';
  rows_read: number;
  rows_rejected: number;
  inserted: number;
  updated: number;
  unchanged: number;
  started_at: Date;
  finished_at: CreatedAt;
  problems: Json<unknown[]>;
}

export interface PatientTable {
  id: Generated<number>;
  nhs_number: string;
  given_name: string;
  family_name: string;
  date_of_birth: string;
  email: string | null;
  postcode: string | null;
  sex: ColumnType<Sex, Sex | undefined, Sex>;
  ethnic_category: string | null;
  phone: string | null;
  /** How the patient asked to be contacted (from their page); null until they choose. */
  contact_channel: ColumnType<PatientChannel | null, PatientChannel | null | undefined, PatientChannel | null>;
  address_line_1: string | null;
  address_line_2: string | null;
  town: string | null;
  lsoa_code: string | null;
  travel_max_miles: number | null;
  bmi: Numeric | null;
  last_heart_attack_on: string | null;
  last_stroke_on: string | null;
  needs_critical_care: ColumnType<boolean, boolean | undefined, boolean>;
  on_dialysis: ColumnType<boolean, boolean | undefined, boolean>;
  diabetes: ColumnType<ConditionControl, ConditionControl | undefined, ConditionControl>;
  hypertension: ColumnType<ConditionControl, ConditionControl | undefined, ConditionControl>;
  anticoagulated: ColumnType<boolean, boolean | undefined, boolean>;
  sickle_cell: ColumnType<boolean, boolean | undefined, boolean>;
  psychiatric_unstable: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface PathwayTable {
  id: Generated<number>;
  patient_id: number;
  trust_ods: string;
  treatment_function_code: string;
  clock_start_date: string;
  priority: PathwayPriority;
  status: ColumnType<PathwayStatus, PathwayStatus | undefined, PathwayStatus>;
  pathway_ref: string;
  planned_procedure_code: string | null;
  tertiary: ColumnType<boolean, boolean | undefined, boolean>;
  next_appointment_on: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface TransferTable {
  id: Generated<number>;
  pathway_id: number;
  campaign_id: ColumnType<number | null, number | null | undefined, number | null>;
  workflow_id: string;
  workflow_run_id: string;
  state: ColumnType<TransferState, TransferState | undefined, TransferState>;
  opened_at: CreatedAt;
  updated_at: Timestamp;
  closed_at: Date | null;
  fund_id: number | null;
  offer_from: string | null;
  offer_to: string | null;
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
  /** GOV.UK Notify's id for a message it took (we give it the message's own id as its reference). */
  notify_id: string | null;
  /** What Notify's latest delivery receipt said of it (domain/delivery.ts), and when Notify reached that. */
  delivery_status: DeliveryStatus | null;
  delivery_status_at: Date | null;
  /** When the link a patient's message carries stops working: a fallback by another channel gives a fresh one to the same deadline. */
  respond_by: Date | null;
  created_at: CreatedAt;
  sent_at: Date | null;
  recipient: ColumnType<MessageRecipient, MessageRecipient | undefined, MessageRecipient>;
  letter: Json<Record<string, unknown>> | null;
  trust_ods: string | null;
}

export interface ScreeningResultTable {
  transfer_id: number;
  site_ods: string;
  passes: boolean;
  exclusions: Json<{ criterion: string; reason: string }[]>;
  screened_at: CreatedAt;
}

export interface ClinicalReviewTable {
  transfer_id: number;
  decision: ReviewDecision;
  reason: string | null;
  reviewer: string;
  decided_at: CreatedAt;
}

export interface FundTable {
  id: Generated<number>;
  name: string;
  allocation_pence: number;
  window_from: string;
  window_to: string;
  region_code: string | null;
  created_at: CreatedAt;
}

// A campaign's statuses are the domain's, which says what each allows (domain/campaign-control.ts).
export { CAMPAIGN_STATUSES, type CampaignStatus } from '../domain/campaign-control';

export interface CampaignTable {
  id: Generated<number>;
  name: string;
  region_code: string;
  fund_id: number;
  trusts: string[];
  treatment_functions: string[];
  period_from: string;
  period_to: string;
  cohort_rules: Json<Record<string, unknown>>;
  transfer_settings: Json<Record<string, unknown>>;
  max_offers: number;
  launch_summary: Json<Record<string, unknown>>;
  status: ColumnType<CampaignStatus, CampaignStatus | undefined, CampaignStatus>;
  launched_by: string;
  launched_at: CreatedAt;
  closed_at: Date | null;
  /** The launch as checked (without dryRun), to know the same launch again; null for campaigns launched before it was kept. */
  launch_request: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  /** The Idempotency-Key the launch came with, unique per launcher. */
  idempotency_key: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface FundTrustTable {
  fund_id: number;
  trust_ods: string;
  allocation_pence: number | null;
}

export interface FundTreatmentFunctionTable {
  fund_id: number;
  treatment_function_code: string;
}

/** The views fund_balances and fund_trust_balances: the one definition of a balance. */
export interface FundBalanceView {
  fund_id: number;
  allocation_pence: number;
  committed_pence: number;
  claimed_pence: number;
  paid_pence: number;
}

export interface FundTrustBalanceView {
  fund_id: number;
  trust_ods: string;
  committed_pence: number;
  claimed_pence: number;
  paid_pence: number;
}

export interface ClaimTable {
  id: Generated<number>;
  fund_id: number;
  trust_ods: string;
  month: string;
  sequence: number;
  line_count: number;
  total_pence: number;
  status: ColumnType<ClaimStatus, ClaimStatus | undefined, ClaimStatus>;
  created_at: CreatedAt;
  decided_by: string | null;
  decided_at: Date | null;
  decision_reason: string | null;
  paid_by: string | null;
  paid_at: Date | null;
}

export interface ClaimLineTable {
  id: Generated<number>;
  transfer_id: number;
  booking_id: number;
  fund_id: number;
  trust_ods: string;
  treatment_function_code: string;
  site_ods: string;
  procedure_code: string | null;
  hrg_code: string | null;
  treated_on: string;
  price_pence: number;
  price_source: string;
  status: ColumnType<ClaimLineStatus, ClaimLineStatus | undefined, ClaimLineStatus>;
  problems: ColumnType<string[], string[] | undefined, string[]>;
  claim_id: number | null;
  created_at: CreatedAt;
  validated_at: Date | null;
}

export interface OfferChoiceTable {
  id: Generated<number>;
  transfer_id: number;
  round: number;
  rank: number;
  site_ods: string;
  earliest_date: string;
  distance_miles: Numeric;
  price_pence: number;
  price_source: string;
  created_at: CreatedAt;
}

export interface PatientResponseTable {
  id: Generated<number>;
  transfer_id: number;
  response_key: string;
  kind: ResponseKind;
  channel: ResponseChannel;
  wording_version: string;
  round: number | null;
  site_ods: string | null;
  slot_id: number | null;
  consent_transfer_of_care: ColumnType<boolean, boolean | undefined, boolean>;
  consent_share_records: ColumnType<boolean, boolean | undefined, boolean>;
  reason: string | null;
  responded_at: Timestamp;
  recorded_at: CreatedAt;
}

export interface CallbackTaskTable {
  id: Generated<number>;
  transfer_id: number;
  trust_ods: string;
  response_key: string;
  requested_at: CreatedAt;
  done_at: Date | null;
  done_by: string | null;
}

export interface BookingTable {
  id: Generated<number>;
  transfer_id: number;
  slot_id: number;
  site_ods: string;
  fund_id: number;
  procedure_date: string;
  price_pence: number;
  price_source: string;
  status: BookingStatus;
  reason: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface FundMovementTable {
  id: Generated<number>;
  fund_id: number;
  booking_id: number;
  trust_ods: string;
  kind: FundMovementKind;
  amount_pence: number;
  reason: string | null;
  at: CreatedAt;
}

export interface OutcomeTable {
  transfer_id: number;
  booking_id: number;
  outcome: Outcome;
  procedure_code: string | null;
  treated_on: string | null;
  reason: string | null;
  recorded_by: string;
  recorded_at: CreatedAt;
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
  providers: ProviderTable;
  sites: SiteTable;
  treatment_functions: TreatmentFunctionTable;
  hrgs: HrgTable;
  procedures: ProcedureTable;
  prices: PriceTable;
  market_forces_factors: MarketForcesFactorTable;
  site_exclusion_criteria: SiteExclusionCriteriaTable;
  contracts: ContractTable;
  activity: ActivityTable;
  postcode_districts: PostcodeDistrictTable;
  lsoas: LsoaTable;
  slots: SlotTable;
  import_runs: ImportRunTable;
  patients: PatientTable;
  pathways: PathwayTable;
  transfers: TransferTable;
  transfer_events: TransferEventTable;
  offers: OfferTable;
  messages: MessageTable;
  screening_results: ScreeningResultTable;
  clinical_reviews: ClinicalReviewTable;
  funds: FundTable;
  campaigns: CampaignTable;
  fund_trusts: FundTrustTable;
  fund_treatment_functions: FundTreatmentFunctionTable;
  fund_balances: FundBalanceView;
  fund_trust_balances: FundTrustBalanceView;
  claims: ClaimTable;
  claim_lines: ClaimLineTable;
  offer_choices: OfferChoiceTable;
  patient_responses: PatientResponseTable;
  callback_tasks: CallbackTaskTable;
  bookings: BookingTable;
  fund_movements: FundMovementTable;
  outcomes: OutcomeTable;
  staff_users: StaffUserTable;
  staff_tokens: StaffTokenTable;
  audit_log: AuditLogTable;
  dev_mailbox: DevMailboxTable;
}

export type Trust = Selectable<TrustTable>;
export type Site = Selectable<SiteTable>;
export type Slot = Selectable<SlotTable>;
export type ImportRun = Selectable<ImportRunTable>;
export type Patient = Selectable<PatientTable>;
export type NewPatient = Insertable<PatientTable>;
export type Pathway = Selectable<PathwayTable>;
export type NewPathway = Insertable<PathwayTable>;
export type Transfer = Selectable<TransferTable>;
export type NewTransfer = Insertable<TransferTable>;
export type NewCampaign = Insertable<CampaignTable>;
export type TransferUpdate = Updateable<TransferTable>;
export type TransferEvent = Selectable<TransferEventTable>;
export type Offer = Selectable<OfferTable>;
export type Message = Selectable<MessageTable>;
export type OfferChoiceRow = Selectable<OfferChoiceTable>;
export type Booking = Selectable<BookingTable>;
export type Fund = Selectable<FundTable>;
export type StaffUser = Selectable<StaffUserTable>;
export type NewStaffUser = Insertable<StaffUserTable>;
export type DevMail = Selectable<DevMailboxTable>;
export type NewDevMail = Insertable<DevMailboxTable>;
