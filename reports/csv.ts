/** CSV for spreadsheets, written one way for every report and export. */
import Papa from 'papaparse';

/**
 * A cell a spreadsheet would run as a formula: papaparse's own rule (a leading =, +, -, @, tab or
 * return), except a plain signed number such as "-27.1", which must stay a number in the sheet.
 */
const FORMULA = /^[=+\-@\t\r](?!\d+(\.\d+)?$)/;

/** A header row, then the rows; CRLF line ends; formulae escaped with a leading apostrophe. */
export function toCsv(fields: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  return Papa.unparse({ fields: [...fields], data: rows.map((row) => row.map((cell) => cell ?? '')) }, { escapeFormulae: FORMULA, newline: '\r\n' });
}

