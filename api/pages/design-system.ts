/**
 * The NHS.UK design system's assets (nhsuk-frontend), served by this app under ASSETS. Its compiled
 * stylesheet loads the Frutiger font from assets.nhs.uk, a request to another host from every page, and
 * Frutiger is licensed to nhs.uk services only: services elsewhere build the Sass with
 * `$nhsuk-include-font-face: false` and fall back to Arial. This app does not compile Sass, so it serves
 * the package's stylesheet with its @font-face rules taken out, which is what that setting builds.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { ASSETS } from './layout';

const dist = fileURLToPath(new URL('../../node_modules/nhsuk-frontend/dist/nhsuk', import.meta.url));
const STYLESHEET = 'nhsuk-frontend.min.css';

/**
 * A compiled nhsuk-frontend stylesheet without its @font-face rules. Its source map no longer matches
 * the text, so its reference goes too.
 */
function withoutFontFaces(css: string): string {
  return css.replace(/@font-face\{[^}]*\}/g, '').replace(/\/\*# sourceMappingURL=[^*]*\*\/\s*$/, '');
}

let stylesheet: Promise<string> | undefined;

/** Derived once per process, when first asked for. */
function fontFreeStylesheet(): Promise<string> {
  stylesheet ??= readFile(`${dist}/${STYLESHEET}`, 'utf8').then(withoutFontFaces);
  return stylesheet;
}

/** Mounted at ASSETS: the stylesheet, the images (which the stylesheet names under ASSETS/images) and the script. */
export function designSystemAssets() {
  const app = new Hono();
  app.get(`/${STYLESHEET}`, async (c) => c.body(await fontFreeStylesheet(), 200, { 'content-type': 'text/css; charset=utf-8' }));
  app.use('/images/*', serveStatic({ root: `${dist}/assets`, rewriteRequestPath: (path) => path.slice(ASSETS.length) }));
  app.use('/*', serveStatic({ root: dist, rewriteRequestPath: (path) => path.slice(ASSETS.length) }));
  return app;
}
