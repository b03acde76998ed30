/**
 * The browsable API docs at /docs: Swagger UI from the swagger-ui-dist package, served by this app, so
 * the page needs nothing but this host (no CDN: a service on a closed network still shows its docs).
 */
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { html } from 'hono/html';
import { getAbsoluteFSPath } from 'swagger-ui-dist';

const DOCS = '/docs';
const swaggerUiDir = getAbsoluteFSPath();

/** Starts Swagger UI on the app's own document; a file, because the pages' CSP allows no inline script. */
const initializer = `window.onload = () => {
  window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true, presets: [SwaggerUIBundle.presets.apis] });
};
`;

export function docsPages() {
  const app = new Hono();
  app.get('/', (c) =>
    c.html(html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Backlog Transfer API</title>
    <link rel="stylesheet" href="${DOCS}/assets/swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${DOCS}/assets/swagger-ui-bundle.js"></script>
    <script src="${DOCS}/init.js"></script>
  </body>
</html>`),
  );
  app.get('/init.js', (c) => c.body(initializer, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=3600' }));
  app.use(
    '/assets/*',
    serveStatic({ root: swaggerUiDir, rewriteRequestPath: (path) => path.slice(`${DOCS}/assets`.length) }),
  );
  return app;
}
