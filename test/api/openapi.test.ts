/**
 * The OpenAPI document against the app's own routes: every documented path and method is served, and
 * every /api/v1 route the app serves is documented, with the schema of what it answers. No server is
 * needed: the document and the route table are the app's.
 */
import { describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import type { AppDeps } from '../../api/context';

// Building the app touches none of its services; only handling a request would.
const app = createApp({ log: { error() {} } } as unknown as AppDeps);

interface Operation {
  readonly requestBody?: unknown;
  readonly responses?: Record<string, { readonly content?: Record<string, { readonly schema?: unknown }> }>;
}

async function documented(): Promise<Map<string, Operation>> {
  const doc = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, Operation>> };
  return new Map(Object.entries(doc.paths).flatMap(([path, operations]) => Object.entries(operations).map(([method, operation]) => [`${method.toUpperCase()} ${path}`, operation] as const)));
}

/** The app's /api/v1 routes, written as the document writes paths (`:id` as `{id}`). */
function served(): Set<string> {
  return new Set(
    app.routes
      .filter((route) => route.path.startsWith('/api/v1/') && route.method !== 'ALL')
      .map((route) => `${route.method} ${route.path.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}').replace(/\/$/, '')}`),
  );
}

describe('the OpenAPI document', () => {
  it('documents only what the app serves, and everything under /api/v1 it serves', async () => {
    const doc = await documented();
    const api = [...doc.keys()].filter((key) => key.split(' ')[1]!.startsWith('/api/v1'));
    const routes = served();
    expect(api.filter((key) => !routes.has(key)), 'documented but not served').toEqual([]);
    expect([...routes].filter((key) => !doc.has(key)), 'served but not documented').toEqual([]);
  });

  it('gives every operation the schema of what it answers (a 204 answers nothing)', async () => {
    for (const [key, operation] of await documented()) {
      const success = Object.entries(operation.responses ?? {}).filter(([status]) => status.startsWith('2'));
      expect(success.length, `${key} documents a success`).toBeGreaterThan(0);
      for (const [status, response] of success.filter(([status]) => status !== '204')) {
        expect(Object.values(response.content ?? {}).some((media) => media.schema), `${key} ${status} has a schema`).toBe(true);
      }
    }
  });
});
