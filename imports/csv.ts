/**
 * Reads CSV as a stream of records: checks the bytes are UTF-8, the header has the required
 * columns, and every row has as many fields as the header. Memory stays flat whatever the size.
 */
import { pipeline, Transform, type Readable } from 'node:stream';
import Papa from 'papaparse';
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
 * Bytes → strict UTF-8 → rows of fields, parsed by Papa Parse a chunk at a time (pausing the parser
 * while a chunk is consumed, so memory holds one chunk). An unclosed quote is reported on its row.
 */
export async function* csvRows(input: Readable): AsyncGenerator<string[]> {
  let batch: string[][] = [];
  let problem: Error | undefined;
  let done = false;
  let parser: Papa.Parser | undefined;
  let paused = false;
  let wake: (() => void) | undefined;
  let rowsBefore = 0;
  let quoteAt: number | undefined;
  let quoteProblem: UnreadableInputError | undefined;
  const text = pipeline(input, strictUtf8(), () => {});
  text.on('error', (error) => {
    problem ??= error;
    done = true;
    wake?.();
  });
  Papa.parse<string[]>(text as unknown as Papa.LocalFile, {
    skipEmptyLines: true,
    chunkSize: 1 << 20,
    chunk(results, chunkParser) {
      parser = chunkParser;
      const quotes = results.errors.find((error) => error.type === 'Quotes');
      if (quotes && quoteAt === undefined) {
        quoteAt = rowsBefore + batch.length + (quotes.row ?? 0);
        quoteProblem = new UnreadableInputError([
          { row: quoteAt + 1, field: '(row)', value: '', reason: `the CSV cannot be read here: ${quotes.message.toLowerCase()}` },
        ]);
      }
      // An empty chunk (the end of the input) leaves the parser running, so it can complete.
      if (results.data.length) {
        batch = batch.length ? batch.concat(results.data) : results.data;
        paused = true;
        chunkParser.pause();
      }
      wake?.();
    },
    complete() {
      done = true;
      wake?.();
    },
    error(error) {
      problem ??= error;
      done = true;
      wake?.();
    },
  });
  try {
    for (;;) {
      if (batch.length === 0 && !done && !problem) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      const rows = batch;
      batch = [];
      for (const row of rows) {
        // Rows from a broken quote on are not what the file meant: stop there.
        if (rowsBefore === quoteAt) throw quoteProblem!;
        rowsBefore += 1;
        yield row;
      }
      if (problem) throw problem;
      if (done) return;
      if (paused) {
        paused = false;
        parser?.resume();
      }
    }
  } finally {
    // However reading stops (the end, a bad row, a consumer that gives up), let go of the input.
    if (!done) {
      parser?.abort();
      text.destroy();
    }
  }
}

export interface CsvOptions {
  /** The kind's columns: the header must have every required one; unknown columns are refused. */
  readonly columns: readonly ColumnSpec[];
}

/** Canonical CSV: a header row naming the kind's columns, in any order. */
export async function* csvRecords(input: Readable, options: CsvOptions): AsyncGenerator<SourceRecord> {
  let header: string[] | undefined;
  let toRecord: ((fields: string[]) => Record<string, string>) | undefined;
  let row = 0;
  for await (const fields of csvRows(input)) {
    row += 1;
    if (!header) {
      header = fields.map((field) => field.trim().toLowerCase());
      checkHeader(header, options.columns);
      toRecord = recordFactory(header);
      continue;
    }
    if (fields.length !== header.length) {
      const reason = `the row has ${fields.length} fields, the header has ${header.length}: it is truncated or has stray commas`;
      yield { row, values: {}, problems: [{ row, field: '(row)', value: fields.join(',').slice(0, 200), reason }] };
      continue;
    }
    yield { row, values: toRecord!(fields) };
  }
  if (!header) throw new UnreadableInputError([{ row: 1, field: '(file)', value: '', reason: 'the file is empty: it needs a header row' }]);
}

/**
 * Builds one record factory per file: an object literal with the header's names, compiled once, so
 * every record has the same shape (a fast object for V8, where a million records built key by key
 * were the import's slowest step). The names are the kind's own column names: checkHeader refused any
 * other, and they are quoted as JSON besides.
 */
function recordFactory(header: readonly string[]): (fields: string[]) => Record<string, string> {
  const properties = header.map((name, index) => `${JSON.stringify(name)}: fields[${index}]`).join(', ');
  return new Function('fields', `return { ${properties} };`) as (fields: string[]) => Record<string, string>;
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


