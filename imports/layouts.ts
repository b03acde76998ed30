/** The documented layout of every import, as Markdown (docs/imports.md is this, kept current by a test). */
import { formatsOf, IMPORT_KINDS } from './index';

export function importLayoutsMarkdown(): string {
  const lines = [
    '# Import layouts',
    '',
    'Generated from the import kinds (`npm run cli -- import:kinds --markdown`); do not edit by hand.',
    '',
    'Every import is all or nothing: a file with any rejected row changes nothing, and the report lists every rejected row',
    '(row number — the header is row 1 —, field, value, reason). Importing the same file twice changes nothing the second',
    'time; a corrected file updates in place. CSV files are UTF-8 with a header row; columns may come in any order.',
    'Dates are `YYYY-MM-DD`, months `YYYY-MM`, yes/no fields accept yes/no, true/false, y/n, 1/0.',
    'A row with too few or too many fields, or a field holding a NUL character (which the database cannot store), is a',
    'rejected row like any other. A file that is not UTF-8 is refused whole, naming the line of its first bad byte: save it',
    'as CSV UTF-8. NHS numbers of ten of one digit (`0000000000`…) are placeholders, and refused.',
    '',
    'Import in the order below on a new database: each kind refers to kinds above it.',
    '',
    'CLI: `npm run cli -- import <kind> <file> [--format <format>]`. API: `POST /api/v1/imports/<kind>?format=<format>` with the file as the body.',
    '',
  ];
  for (const kind of IMPORT_KINDS) {
    lines.push(`## ${kind.name} — ${kind.title}`, '', kind.description, '');
    lines.push(`Formats: ${formatsOf(kind.name).map((format) => `\`${format.name}\` (${format.description})`).join('; ')}.`, '');
    lines.push(`Sample: [\`imports/samples/${kind.name}.csv\`](../imports/samples/${kind.name}.csv)`, '');
    lines.push('| column | required | what | example |', '|---|---|---|---|');
    for (const column of kind.columns) {
      lines.push(`| \`${column.name}\` | ${column.required ? 'yes' : 'no'} | ${column.description} | ${column.example ? `\`${column.example}\`` : ''} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}`;
}
