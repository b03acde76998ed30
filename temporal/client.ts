/**
 * The Temporal client factory. Every client encrypts payloads with the codec, so nothing the API
 * starts a workflow with, or reads back from a query, sits in clear on the server.
 */
import { Client, Connection } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';

export interface TemporalClientOptions {
  readonly address: string;
  readonly namespace: string;
  readonly codec: PayloadCodec;
}

export async function createTemporalClient(options: TemporalClientOptions): Promise<Client> {
  const connection = await Connection.connect({ address: options.address });
  return new Client({
    connection,
    namespace: options.namespace,
    dataConverter: { payloadCodecs: [options.codec] },
  });
}
