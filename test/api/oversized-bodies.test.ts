/**
 * Oversized bodies over a real server and one keep-alive connection: each gets a complete 413 naming
 * the limit, never a reset, and the connection then serves the next request. Half the bodies declare
 * their length, half are chunked without one; the JSON routes and the pages' forms refuse them in the
 * body limit, the import route while streaming the file.
 */
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_DISCARD_BYTES } from '../../api/body-limit';
import { startTestApi, type TestApi } from '../support/api-server';
import { startTestServices, type TestServices } from '../support/services';

const MAX_BODY_BYTES = 64 * 1024;
const MAX_IMPORT_BYTES = 256 * 1024;
const ROUNDS = 20;

let services: TestServices;
let api: TestApi;
let agent: http.Agent;

beforeAll(async () => {
  services = await startTestServices();
  api = await startTestApi(services.appDeps({ maxBodyBytes: MAX_BODY_BYTES, maxImportBytes: MAX_IMPORT_BYTES }));
  // One socket, kept alive: every request goes over the connection the one before it left.
  agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
});

afterAll(async () => {
  agent?.destroy();
  await api?.stop();
  await services?.close();
});

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  /** Whether the request went over a connection an earlier one had used. */
  readonly reused: boolean;
}

/** One request over the shared connection; a chunked body is written in pieces with no length declared. */
function send(method: string, path: string, body?: { readonly bytes: Buffer; readonly chunked: boolean; readonly type: string }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = { authorization: `Bearer ${services.tokens.regional}` };
    if (body) {
      headers['content-type'] = body.type;
      if (!body.chunked) headers['content-length'] = body.bytes.length;
    }
    const request = http.request(`${api.url}${path}`, { method, agent, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks).toString(), reused: request.reusedSocket }));
    });
    request.on('error', reject);
    if (body?.chunked) {
      for (let offset = 0; offset < body.bytes.length; offset += 16 * 1024) request.write(body.bytes.subarray(offset, offset + 16 * 1024));
      request.end();
    } else request.end(body?.bytes);
  });
}

/** About 2 MiB of a valid-looking JSON body. */
const jsonBody = Buffer.from(JSON.stringify({ pathwayId: 1, fundId: 1, padding: 'x'.repeat(2 * 1024 * 1024) }));
/** About 2 MiB of a form post. */
const formBody = Buffer.from(new URLSearchParams({ reason: 'x'.repeat(2 * 1024 * 1024) }).toString());
/** About 2 MiB of a pathways file, every row well formed. */
const csvBody = Buffer.from(
  [
    'trust_ods,pathway_ref,nhs_number,given_name,family_name,date_of_birth,email,postcode,bmi,treatment_function_code,planned_procedure_code,clock_start_date,priority,next_appointment_on',
    ...Array.from({ length: 20_000 }, (_, row) => `RWE,BIG-${row},9434765919,Amira,Khan,1961-03-04,,LE2 7LX,27.4,110,W37.1,2025-01-10,routine,`),
  ].join('\n'),
);

describe('an oversized body', () => {
  for (const { route, path, type, bytes, limit } of [
    { route: 'a JSON route', path: '/api/v1/transfers', type: 'application/json', bytes: jsonBody, limit: `request body is larger than ${MAX_BODY_BYTES} bytes` },
    { route: "a patient page's form", path: '/offer/any-token/decline', type: 'application/x-www-form-urlencoded', bytes: formBody, limit: `request body is larger than ${MAX_BODY_BYTES} bytes` },
    { route: 'the import route', path: '/api/v1/imports/pathways', type: 'text/csv', bytes: csvBody, limit: `the file is larger than ${MAX_IMPORT_BYTES} bytes` },
  ]) {
    it(`to ${route} gets a whole 413 every time, on a connection that goes on serving`, { timeout: 60_000 }, async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const refused = await send('POST', path, { bytes, type, chunked: round % 2 === 1 });
        expect(refused.status, `round ${round}`).toBe(413);
        expect(JSON.parse(refused.body)).toEqual({ error: { code: 'payload_too_large', message: limit } });
        expect(refused.headers.connection, `round ${round}`).toBe('keep-alive');
        const next = await send('GET', '/api/v1/transfers');
        expect(next.status, `round ${round}`).toBe(200);
        expect(next.reused, `round ${round}: the next request reused the connection`).toBe(true);
        expect(JSON.parse(next.body)).toHaveProperty('transfers');
      }
    });
  }

  it('declaring more than is worth reading gets its 413 at once, closing the connection', async () => {
    const { hostname, port } = new URL(api.url);
    const socket = net.connect(Number(port), hostname);
    const received: Buffer[] = [];
    socket.on('data', (chunk) => received.push(chunk));
    const closed = new Promise((resolve) => socket.on('end', resolve));
    socket.write(
      `POST /api/v1/transfers HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: ${MAX_BODY_BYTES + MAX_DISCARD_BYTES + 1}\r\n\r\n{"pathwayId": 1`,
    );
    await closed;
    socket.destroy();
    const [head, body] = Buffer.concat(received).toString().split('\r\n\r\n') as [string, string];
    expect(head).toMatch(/^HTTP\/1\.1 413 /);
    expect(head.toLowerCase()).toContain('connection: close');
    expect(JSON.parse(body)).toEqual({ error: { code: 'payload_too_large', message: `request body is larger than ${MAX_BODY_BYTES} bytes` } });
  });
});
