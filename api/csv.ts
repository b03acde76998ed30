/** A CSV as a download, for the API and the staff pages alike. */
import type { Context } from 'hono';

/** The body as a file named `name`, opened by a spreadsheet. */
export function csvDownload(c: Context, name: string, body: string): Response {
  return c.body(body, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"` });
}
