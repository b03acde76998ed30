import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { audit } from '../../db/repositories/audit';
import { getTrust, markLettersPrinted, printBatchDays, printBatchLetters } from '../../db/repositories/letters';
import type { StaffUser } from '../../db/schema';
import { isIsoDate, isOdsCode } from '../../domain/codes';
import { renderLetters } from '../../emails/letter';
import { canActForTrust, staffActor } from '../../services/access';
import { requireRole, requireStaff } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { ApiError } from '../errors';
import { ErrorSchema, validationHook } from '../openapi';

const TrustParams = z.object({
  trustOds: z
    .string()
    .refine(isOdsCode, 'must be an ODS code: 3 to 6 capital letters and digits')
    .openapi({ param: { name: 'trustOds', in: 'path' }, example: 'RWE' }),
});

const BatchParams = TrustParams.extend({
  day: z
    .string()
    .refine(isIsoDate, 'must be a calendar date written YYYY-MM-DD')
    .openapi({ param: { name: 'day', in: 'path' }, example: '2026-11-22' }),
});

const BatchDaysSchema = z
  .object({
    trustOds: z.string(),
    days: z.array(
      z.object({
        day: z.string().openapi({ example: '2026-11-22' }),
        queued: z.number().int().openapi({ description: 'Letters waiting to be printed' }),
        printed: z.number().int().openapi({ description: 'Letters in a batch already downloaded' }),
      }),
    ),
  })
  .openapi('PrintBatchDays');

const list = createRoute({
  method: 'get',
  path: '/{trustOds}',
  operationId: 'listPrintBatches',
  tags: ['print-batches'],
  summary: "A trust's daily letter batches of the last 30 days (and older ones still waiting), newest first",
  security: [{ bearer: [] }],
  request: { params: TrustParams },
  responses: {
    200: { description: 'The batch days', content: { 'application/json': { schema: BatchDaysSchema } } },
    404: { description: 'No such trust in your scope', content: { 'application/json': { schema: ErrorSchema } } },
  },
});

const download = createRoute({
  method: 'get',
  path: '/{trustOds}/{day}',
  operationId: 'downloadPrintBatch',
  tags: ['print-batches'],
  summary: "Download a day's letters as one PDF to print and post; the waiting ones are marked printed",
  description:
    'Every letter queued for the trust on that day (in England), including those already downloaded, so a lost file can be fetched again. Each download is written to the audit log.',
  security: [{ bearer: [] }],
  request: { params: BatchParams },
  responses: {
    200: { description: 'The letters, one or more pages each', content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } } },
    404: { description: 'No such trust in your scope, or no letters that day', content: { 'application/json': { schema: ErrorSchema } } },
  },
});

export function printBatchRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use('*', requireStaff(deps.db), requireRole('clinician', 'regional', 'admin'));

  /** A trust the caller may print for; any other answers as if unknown, so trusts outside scope are not revealed. */
  async function requireTrustInScope(staff: StaffUser, trustOds: string): Promise<void> {
    const trust = await getTrust(deps.db, trustOds);
    if (!trust || !canActForTrust(staff, trust)) throw new ApiError(404, 'not_found', `trust ${trustOds} not found`);
  }

  app.openapi(list, async (c) => {
    const { trustOds } = c.req.valid('param');
    await requireTrustInScope(c.get('staff'), trustOds);
    return c.json({ trustOds, days: await printBatchDays(deps.db, trustOds) }, 200);
  });

  app.openapi(download, async (c) => {
    const { trustOds, day } = c.req.valid('param');
    const staff = c.get('staff');
    await requireTrustInScope(staff, trustOds);
    const letters = await printBatchLetters(deps.db, trustOds, day);
    if (letters.length === 0) throw new ApiError(404, 'not_found', `trust ${trustOds} has no letters to print for ${day}`);
    const pdf = await renderLetters(letters, { phone: deps.patientPhone, printedAt: new Date() });
    // Marked only once the PDF exists, and with the audit entry or not at all.
    await deps.db.transaction().execute(async (trx) => {
      const newlyPrinted = await markLettersPrinted(trx, letters.filter((letter) => letter.status === 'queued').map((letter) => letter.id));
      await audit(trx, {
        actor: staffActor(staff),
        action: 'print-batch.download',
        subject: `trust:${trustOds}`,
        detail: { day, letters: letters.length, newlyPrinted },
      });
    });
    // Hono's body type wants a Uint8Array over a plain ArrayBuffer, which a Buffer's type does not promise.
    return c.body(new Uint8Array(pdf), 200, {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="letters-${trustOds}-${day}.pdf"`,
      'Cache-Control': 'no-store',
    });
  });
  return app;
}
