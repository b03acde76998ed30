/**
 * The field rules the import kinds share: how a code is normalised, what it must look like, and the
 * words a problem uses. A kind adds `required`, `known` and `knownAs` for its own columns.
 */
import {
  isOdsCode,
  isOpcs4Code,
  isPostcode,
  isTreatmentFunctionCode,
  normaliseOpcs4,
  normalisePostcode,
} from '../domain/codes';
import type { ColumnSpec } from './types';

const upper = (value: string) => value.toUpperCase();

export const ODS_CODE = { normalise: upper, valid: isOdsCode, format: 'an ODS code (3–6 letters and digits)' };
export const TREATMENT_FUNCTION = { valid: isTreatmentFunctionCode, format: 'a three-digit treatment function code' };
export const OPCS4 = { normalise: normaliseOpcs4, valid: isOpcs4Code, format: 'an OPCS-4 code such as W37.1' };
export const POSTCODE = { normalise: normalisePostcode, valid: isPostcode, format: 'a UK postcode' };
export const HRG = { normalise: upper, valid: (value: string) => /^[A-Z]{2}[0-9]{2}[A-Z]$/.test(value), format: 'an HRG code such as HN12F' };
export const LSOA = { valid: (value: string) => /^[EW][0-9]{8}$/.test(value), format: 'an LSOA code such as E01000001' };

/** One documented column of a kind's CSV layout. */
export function column(name: string, required: boolean, description: string, example: string): ColumnSpec {
  return { name, required, description, example };
}
