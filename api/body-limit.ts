/**
 * Request bodies over their limit. Answering before a body has been read leaves the rest of it on the
 * connection: @hono/node-server (2.1.8) then tries to drain it for 500 ms, but once the body has been
 * opened as a web stream nothing reads that stream and the drain stalls, so it resets the socket. The
 * client sees its 413 (when the reset does not come first), then ECONNRESET on its next request. So a
 * refused body is read to its end and thrown away before the 413 goes out, and the connection stays
 * usable; past MAX_DISCARD_BYTES more, the 413 says `Connection: close` instead.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { ApiError, errorBody } from './errors';

/** The most of a refused body read and thrown away to keep its connection open. */
export const MAX_DISCARD_BYTES = 64 * 1024 * 1024;

type BodyReader = ReadableStreamDefaultReader<Uint8Array>;

/** Reads what is left of a body and throws it away, up to MAX_DISCARD_BYTES; says whether it reached the end. */
async function discardRest(reader: BodyReader): Promise<boolean> {
  try {
    for (let discarded = 0; discarded <= MAX_DISCARD_BYTES; ) {
      const { done, value } = await reader.read();
      if (done) return true;
      discarded += value.length;
    }
  } catch {
    // The client went away: nothing is left to keep open.
  }
  return false;
}

/** Readies the connection for a refusal: the rest of the body is discarded, or the connection is closed after the answer. */
async function clearConnection(c: Context, reader: BodyReader | undefined): Promise<void> {
  if (!reader || !(await discardRest(reader))) c.header('Connection', 'close');
}

/** Bodies of at most maxBytes, held in memory for the handler; a larger one is answered 413 naming the limit. */
export function limitBody(maxBytes: number): MiddlewareHandler {
  const message = `request body is larger than ${maxBytes} bytes`;
  return async (c, next) => {
    // Node's parser holds a body to the length it declares, so a declared length within the limit needs no
    // counting; a GET that declares neither a length nor an encoding has no body (RFC 9112 §6.3), and
    // asking for one would make @hono/node-server build a whole web Request for every page view.
    const chunked = c.req.header('transfer-encoding') !== undefined;
    const declared = chunked ? undefined : c.req.header('content-length');
    if (declared !== undefined && Number(declared) <= maxBytes) return next();
    if (!chunked && declared === undefined && (c.req.method === 'GET' || c.req.method === 'HEAD')) return next();
    const body = c.req.raw.body;
    if (!body) return next();
    const reader = body.getReader();
    if (declared !== undefined) {
      await clearConnection(c, Number(declared) > MAX_DISCARD_BYTES ? undefined : reader);
      return c.json(errorBody('payload_too_large', message), 413);
    }
    const chunks: Uint8Array[] = [];
    for (let size = 0; ; ) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > maxBytes) {
        await clearConnection(c, reader);
        return c.json(errorBody('payload_too_large', message), 413);
      }
      chunks.push(value);
    }
    c.req.raw = new Request(c.req.raw, { body: Buffer.concat(chunks) });
    return next();
  };
}

/**
 * A body streamed to its handler, failing with a 413 ApiError (the message given) past maxBytes, once
 * the connection is ready for the answer.
 */
export function limitStream(c: Context, body: ReadableStream<Uint8Array>, maxBytes: number, message: string): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let size = 0;
  return new ReadableStream({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      size += value.length;
      if (size <= maxBytes) return controller.enqueue(value);
      await clearConnection(c, reader);
      controller.error(new ApiError(413, 'payload_too_large', message));
    },
    cancel: (reason) => reader.cancel(reason),
  });
}
