/**
 * Official NHS files are often published zipped. A zip is recognised by its first bytes, read into
 * memory (zips need random access; published extracts are a few megabytes), and its one CSV is
 * streamed out; anything else passes through untouched.
 */
import { PassThrough, Readable } from 'node:stream';
import yauzl from 'yauzl';
import { UnreadableInputError } from '../types';

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const MAX_ZIP_BYTES = 200 * 1024 * 1024;

export async function unzipIfZipped(input: Readable): Promise<Readable> {
  const chunks: Buffer[] = [];
  let length = 0;
  const iterator = input[Symbol.asyncIterator]();
  // Look at the first bytes only; a CSV is handed on as a stream from there.
  while (length < ZIP_MAGIC.length) {
    const next = await iterator.next();
    if (next.done) break;
    const chunk = Buffer.from(next.value as Buffer);
    chunks.push(chunk);
    length += chunk.length;
  }
  const head = Buffer.concat(chunks);
  const rest = (async function* () {
    yield head;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value as Buffer;
  })();
  if (!head.subarray(0, 4).equals(ZIP_MAGIC)) return Readable.from(rest);

  const buffers: Buffer[] = [];
  let size = 0;
  for await (const chunk of rest) {
    size += chunk.length;
    if (size > MAX_ZIP_BYTES) throw unreadable(`the zip is larger than ${MAX_ZIP_BYTES / 1024 / 1024} MB`);
    buffers.push(chunk);
  }
  return openSingleCsv(Buffer.concat(buffers));
}

function unreadable(reason: string): UnreadableInputError {
  return new UnreadableInputError([{ row: 0, field: '(file)', value: '', reason }]);
}

function openSingleCsv(zip: Buffer): Promise<Readable> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, archive) => {
      if (error || !archive) return reject(unreadable(`the zip cannot be opened: ${error?.message ?? 'unknown error'}`));
      archive.on('entry', (entry: yauzl.Entry) => {
        const name = entry.fileName;
        if (name.startsWith('__MACOSX/') || !name.toLowerCase().endsWith('.csv')) return archive.readEntry();
        archive.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(unreadable(`cannot read ${name} in the zip`));
          const out = new PassThrough();
          stream.pipe(out);
          resolve(out);
        });
      });
      archive.on('end', () => reject(unreadable('the zip holds no .csv file')));
      archive.readEntry();
    });
  });
}
