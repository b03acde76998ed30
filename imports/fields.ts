/**
 * Reads the fields of one record, collecting every problem rather than stopping at the first, so a
 * rejected file's report names everything that needs fixing in one go.
 */
import { isIsoMonth } from '../domain/codes';
import { unstorableText } from '../domain/text';
import { isIsoDateFast } from './fast';
import type { ImportProblem, ParseResult, SourceRecord } from './types';

const decimalPatterns = new Map<number, RegExp>();

/** A decimal with at most `places` decimal places (compiled once per number of places). */
function decimalPattern(places: number): RegExp {
  let pattern = decimalPatterns.get(places);
  if (!pattern) {
    pattern = places > 0 ? new RegExp(`^-?[0-9]+(\\.[0-9]{1,${places}})?$`) : /^-?[0-9]+$/;
    decimalPatterns.set(places, pattern);
  }
  return pattern;
}

/** The largest PostgreSQL integer, the type amounts in pence are stored as. */
const MAX_INTEGER = 2_147_483_647;

interface Presence {
  readonly required?: boolean;
}

export class FieldReader {
  readonly problems: ImportProblem[] = [];
  /** Fields whose text cannot be stored (see domain/text): reported once, then read as empty. */
  private readonly unstorable = new Set<string>();

  constructor(private readonly record: SourceRecord) {}

  /**
   * The raw text of a field, trimmed; '' when absent. Every field a kind reads comes through here, so
   * this is where text the database cannot hold (a NUL) is refused, for every kind and format alike.
   */
  raw(field: string): string {
    const value = (this.record.values[field] ?? '').trim();
    const unstorable = unstorableText(value);
    if (unstorable === undefined) return value;
    if (!this.unstorable.has(field)) {
      this.problem(field, unstorable, value);
      this.unstorable.add(field);
    }
    return '';
  }

  /** Reports a problem with a field; one whose text cannot be stored has that problem only. */
  problem(field: string, reason: string, value = this.raw(field)): void {
    if (this.unstorable.has(field)) return;
    this.problems.push({ row: this.record.row, field, value, reason });
  }

  private present(field: string, options: Presence): string | undefined {
    const value = this.raw(field);
    if (value === '') {
      if (options.required) this.problem(field, 'is required');
      return undefined;
    }
    return value;
  }

  text(field: string, options: Presence & { max?: number } = {}): string | null {
    const value = this.present(field, options);
    if (value === undefined) return null;
    if (options.max && value.length > options.max) {
      this.problem(field, `is longer than ${options.max} characters`);
      return null;
    }
    return value;
  }

  /** A code: normalised, then checked by its format and, where given, against the known ones. */
  code(
    field: string,
    options: Presence & {
      normalise?: (value: string) => string;
      valid: (value: string) => boolean;
      format: string;
      known?: ReadonlySet<string>;
      knownAs?: string;
    },
  ): string | null {
    const value = this.present(field, options);
    if (value === undefined) return null;
    const code = options.normalise ? options.normalise(value) : value;
    if (!options.valid(code)) {
      this.problem(field, `is not ${options.format}`);
      return null;
    }
    if (options.known && !options.known.has(code)) {
      this.problem(field, `is not a known ${options.knownAs ?? 'code'}${code !== value ? ` (${code})` : ''}`);
      return null;
    }
    return code;
  }

  integer(field: string, options: Presence & { min?: number; max?: number } = {}): number | null {
    const value = this.present(field, options);
    if (value === undefined) return null;
    if (!/^-?[0-9]+$/.test(value)) {
      this.problem(field, 'is not a whole number');
      return null;
    }
    const number = Number(value);
    if ((options.min !== undefined && number < options.min) || (options.max !== undefined && number > options.max)) {
      this.problem(field, `must be between ${options.min ?? '-∞'} and ${options.max ?? '∞'}`);
      return null;
    }
    return number;
  }

  decimal(field: string, options: Presence & { min: number; max: number; places: number }): string | null {
    const value = this.present(field, options);
    if (value === undefined) return null;
    const pattern = decimalPattern(options.places);
    if (!pattern.test(value)) {
      this.problem(field, options.places > 0 ? `is not a number with at most ${options.places} decimal places` : 'is not a whole number');
      return null;
    }
    const number = Number(value);
    if (number < options.min || number > options.max) {
      this.problem(field, `must be between ${options.min} and ${options.max}`);
      return null;
    }
    return value;
  }

  /**
   * Pounds with up to two decimals ("6040", "6040.5", "6040.50") as integer pence, with no float
   * rounding. Pence are stored as a PostgreSQL integer: an amount past its largest is refused here.
   */
  pence(field: string, options: Presence & { min?: number } = {}): number | null {
    const value = this.present(field, options);
    if (value === undefined) return null;
    const match = /^([0-9]+)(?:\.([0-9]{1,2}))?$/.exec(value.replace(/^£/, '').replace(/,/g, ''));
    if (!match) {
      this.problem(field, 'is not an amount in pounds (e.g. 6040.00)');
      return null;
    }
    const pence = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
    if (options.min !== undefined && pence < options.min) {
      this.problem(field, `must be at least ${(options.min / 100).toFixed(2)}`);
      return null;
    }
    if (pence > MAX_INTEGER) {
      this.problem(field, `must be at most ${(MAX_INTEGER / 100).toFixed(2)}`);
      return null;
    }
    return pence;
  }

  date(field: string, options: Presence = {}): string | null {
    const value = this.present(field, options);
    if (value === undefined) return null;
    if (!isIsoDateFast(value)) {
      this.problem(field, 'is not a real date written YYYY-MM-DD');
      return null;
    }
    return value;
  }

  /** A month (YYYY-MM) as the date of its first day. */
  month(field: string, options: Presence = {}): string | null {
    const value = this.present(field, options);
    if (value === undefined) return null;
    if (!isIsoMonth(value)) {
      this.problem(field, 'is not a month written YYYY-MM');
      return null;
    }
    return `${value}-01`;
  }

  boolean(field: string, options: { default: boolean }): boolean {
    const value = this.raw(field).toLowerCase();
    if (value === '') return options.default;
    if (['true', 'yes', 'y', '1'].includes(value)) return true;
    if (['false', 'no', 'n', '0'].includes(value)) return false;
    this.problem(field, 'is not yes or no (true/false, y/n, 1/0)');
    return options.default;
  }

  oneOf<const T extends string>(field: string, values: readonly T[], options: Presence & { default?: T } = {}): T | null {
    const value = this.present(field, options)?.toLowerCase();
    if (value === undefined) return options.default ?? null;
    if (!(values as readonly string[]).includes(value)) {
      this.problem(field, `must be one of: ${values.join(', ')}`);
      return null;
    }
    return value as T;
  }

  /** The row if no field had a problem. */
  result<Row>(build: () => Row): ParseResult<Row> {
    return this.problems.length ? { ok: false, problems: this.problems } : { ok: true, row: build() };
  }
}
