/**
 * Writes schema.d.ts, the TypeScript types of the API's OpenAPI document, for clients built with
 * openapi-fetch: `npx tsx api/client/generate.ts`. The document is the one the app serves at
 * /openapi.json; test/api/client.test.ts fails when the committed types no longer match it.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { createApp } from '../app';
import type { AppDeps } from '../context';

export const SCHEMA_FILE = fileURLToPath(new URL('./schema.d.ts', import.meta.url));
const HEADER = '/** The API\'s OpenAPI document as types, written by `npx tsx api/client/generate.ts`: do not edit. */\n\n';

/** The OpenAPI document the app serves at /openapi.json. */
export async function servedDocument(): Promise<OpenAPI3> {
  // Building the app and serving its document touch none of its services.
  const app = createApp({ log: { error() {} } } as unknown as AppDeps);
  return (await (await app.request('/openapi.json')).json()) as OpenAPI3;
}

/** The types of the app's OpenAPI document, as schema.d.ts holds them. */
export async function clientTypes(): Promise<string> {
  return `${HEADER}${astToString(await openapiTS(await servedDocument(), { silent: true }))}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeFile(SCHEMA_FILE, await clientTypes());
  console.log(`wrote ${SCHEMA_FILE}`);
}
