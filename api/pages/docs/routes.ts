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

/**
 * Starts Swagger UI on the app's own document; a file, because the pages' CSP allows no inline script.
 * No deep links: Swagger UI puts each operation's link inside the button that opens it, a control
 * within a control that screen readers and keyboards cannot use (axe-core's nested-interactive).
 */
const initializer = `window.onload = () => {
  window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: false, presets: [SwaggerUIBundle.presets.apis] });
};
`;

/**
 * Swagger UI's colours where its text is too faint to read (WCAG AA, 4.5:1): white on its light method
 * badges, its green and blue on white. The NHS palette's darker shades, the same hues.
 */
const contrast = `.swagger-ui .info .title small { background: #4c6272; }
.swagger-ui .info .title small.version-stamp { background: #007f3b; }
.swagger-ui .info a, .swagger-ui .info .url { color: #005eb8; }
.swagger-ui .btn.authorize, .swagger-ui .btn.authorize span { color: #007f3b; border-color: #007f3b; }
.swagger-ui .btn.authorize svg { fill: #007f3b; }
.swagger-ui .opblock.opblock-get .opblock-summary-method { background: #005eb8; }
.swagger-ui .opblock.opblock-post .opblock-summary-method { background: #007f3b; }
.swagger-ui .opblock.opblock-put .opblock-summary-method { background: #8a4b00; }
.swagger-ui .opblock.opblock-delete .opblock-summary-method { background: #b3261e; }
.swagger-ui .opblock.opblock-patch .opblock-summary-method { background: #00626b; }
.swagger-ui .json-schema-2020-12-expand-deep-button { color: #4c6272; }
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
    <link rel="stylesheet" href="${DOCS}/contrast.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${DOCS}/assets/swagger-ui-bundle.js"></script>
    <script src="${DOCS}/init.js"></script>
  </body>
</html>`),
  );
  app.get('/init.js', (c) => c.body(initializer, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=3600' }));
  app.get('/contrast.css', (c) => c.body(contrast, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600' }));
  app.use(
    '/assets/*',
    serveStatic({ root: swaggerUiDir, rewriteRequestPath: (path) => path.slice(`${DOCS}/assets`.length) }),
  );
  return app;
}
