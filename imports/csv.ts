/**
 * Reads CSV as a stream of records: checks the bytes are UTF-8, the header has the required
 * columns, and every row has as many fields as the header. Memory stays flat whatever the size.
 */
import { pipeline, Transform, type Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { ColumnSpec, SourceRecord } from './types';
import { UnreadableInputError } from './types';

/** Decodes UTF-8 strictly (a Latin-1 file is refused, naming the line), dropping a leading BOM. */
export function strictUtf8(): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let line = 1;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      try {
        const text = decoder.decode(chunk, { stream: true });
        line += countNewlines(text);
        callback(null, text);
      } catch {
        callback(notUtf8(line + countNewlines(validPrefix(chunk))));
      }
    },
    flush(callback) {
      try {
        callback(null, decoder.decode());
      } catch {
        callback(notUtf8(line));
      }
    },
  });
}

function countNewlines(text: string): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) count += 1;
  return count;
}

/** The longest start of a chunk that is valid UTF-8, found by halving: where the bad byte is. */
function validPrefix(chunk: Buffer): string {
  let good = 0;
  let bad = chunk.length;
  while (bad - good > 1) {
    const middle = (good + bad) >> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(chunk.subarray(0, middle), { stream: true });
      good = middle;
    } catch {
      bad = middle;
    }
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(chunk.subarray(0, good), { stream: true });
}

function notUtf8(line: number): UnreadableInputError {
  return new UnreadableInputError([
    { row: line, field: '(file)', value: '', reason: 'the file is not UTF-8 text (save it as CSV UTF-8); the first bad byte is on this line' },
  ]);
}

/**
 * Bytes → strict UTF-8 → CSV fields, as one stream whose errors (bad bytes, broken quoting, a failed
 * source) surface where its records are read.
 */
export function csvFieldStream(input: Readable, options: { relaxColumnCount: boolean }): Readable {
  const parser = parse({ bom: true, relax_column_count: options.relaxColumnCount, skip_empty_lines: true, trim: true });
  return pipeline(input, strictUtf8(), parser, () => {});
}

export interface CsvOptions {
  /** The kind's columns: the header must have every required one; unknown columns are refused. */
  readonly columns: readonly ColumnSpec[];
}

/** Canonical CSV: a header row naming the kind's columns, in any order. */
export async function* csvRecords(input: Readable, options: CsvOptions): AsyncGenerator<SourceRecord> {
  const parser = csvFieldStream(input, { relaxColumnCount: true });
  let header: string[] | undefined;
  let row = 0;
  try {
    for await (const fields of parser as AsyncIterable<string[]>) {
      row += 1;
      if (!header) {
        header = fields.map((field) => field.trim().toLowerCase());
        checkHeader(header, options.columns);
        continue;
      }
      if (fields.length !== header.length) {
        throw new UnreadableInputError([
          {
            row,
            field: '(row)',
            value: fields.join(',').slice(0, 200),
            reason: `the row has ${fields.length} fields, the header has ${header.length}: it is truncated or has stray commas`,
          },
        ]);
      }
      const values: Record<string, string> = {};
      for (let index = 0; index < header.length; index++) values[header[index]!] = fields[index]!;
      yield { row, values };
    }
  } catch (error) {
    throw asUnreadable(error, row + 1);
  }
  if (!header) throw new UnreadableInputError([{ row: 1, field: '(file)', value: '', reason: 'the file is empty: it needs a header row' }]);
}

export function checkHeader(header: readonly string[], columns: readonly ColumnSpec[]): void {
  const known = new Set(columns.map((column) => column.name));
  const problems = [
    ...columns
      .filter((column) => column.required && !header.includes(column.name))
      .map((column) => ({ row: 1, field: column.name, value: '', reason: 'required column is missing from the header' })),
    ...header
      .filter((name) => !known.has(name))
      .map((name) => ({ row: 1, field: name, value: name, reason: `unknown column; expected: ${[...known].join(', ')}` })),
    ...header
      .filter((name, index) => header.indexOf(name) !== index)
      .map((name) => ({ row: 1, field: name, value: name, reason: 'column appears twice in the header' })),
  ];
  if (problems.length) throw new UnreadableInputError(problems);
}

/** csv-parse's own errors (an unclosed quote, say) become a problem on the row where they happened. */
export function asUnreadable(error: unknown, row: number): Error {
  if (error instanceof UnreadableInputError) return error;
  const csvError = error as { code?: string; message?: string; lines?: number };
  if (csvError.code?.startsWith('CSV_')) {
    return new UnreadableInputError([
      { row: csvError.lines ?? row, field: '(row)', value: '', reason: `the CSV cannot be read here: ${csvError.message ?? csvError.code}` },
    ]);
  }
  return error as Error;
}
