/** Claims and claim lines as CSV, in the column order a finance team loads into a spreadsheet. */
import type { ClaimLineRow, ClaimSummary } from '../db/repositories/claims';
import { penceAsPounds } from '../domain/money';
import { toCsv } from './csv';

/** Records as CSV in the given column order, as a finance team loads them into a spreadsheet. */
function recordsCsv(rows: readonly Record<string, string | number | null>[], columns: readonly string[]): string {
  return toCsv(columns, rows.map((row) => columns.map((column) => row[column] ?? null)));
}

export const CLAIM_CSV_COLUMNS = ['claim_id', 'fund', 'trust_ods', 'trust_name', 'month', 'sequence', 'lines', 'total_gbp', 'status', 'decided_by', 'decided_at', 'decision_reason', 'paid_at'] as const;

export function claimsCsv(claims: readonly ClaimSummary[]): string {
  return recordsCsv(
    claims.map((claim) => ({
      claim_id: claim.id,
      fund: claim.fundName,
      trust_ods: claim.trustOds,
      trust_name: claim.trustName,
      month: claim.month,
      sequence: claim.sequence,
      lines: claim.lineCount,
      total_gbp: penceAsPounds(claim.totalPence),
      status: claim.status,
      decided_by: claim.decidedBy,
      decided_at: claim.decidedAt?.toISOString() ?? null,
      decision_reason: claim.decisionReason,
      paid_at: claim.paidAt?.toISOString() ?? null,
    })),
    CLAIM_CSV_COLUMNS,
  );
}

export const CLAIM_LINE_CSV_COLUMNS = [
  'line_id', 'claim_id', 'status', 'transfer_id', 'pathway_ref', 'trust_ods', 'provider_ods', 'site_ods', 'site_name',
  'treatment_function', 'opcs4_code', 'hrg_code', 'treated_on', 'price_gbp', 'price_source', 'problems',
] as const;

export function claimLinesCsv(lines: readonly ClaimLineRow[]): string {
  return recordsCsv(
    lines.map((line) => ({
      line_id: line.id,
      claim_id: line.claimId,
      status: line.status,
      transfer_id: line.transferId,
      pathway_ref: line.pathwayRef,
      trust_ods: line.trustOds,
      provider_ods: line.providerOds,
      site_ods: line.siteOds,
      site_name: line.siteName,
      treatment_function: line.treatmentFunctionCode,
      opcs4_code: line.procedureCode,
      hrg_code: line.hrgCode,
      treated_on: line.treatedOn,
      price_gbp: penceAsPounds(line.pricePence),
      price_source: line.priceSource,
      problems: line.problems.join('; '),
    })),
    CLAIM_LINE_CSV_COLUMNS,
  );
}

