/** The frame every email shares: NHS blue header, plain readable body, no images to load. */
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';

export function EmailLayout(props: { title: string; children: Child }) {
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <title>{props.title}</title>
        </head>
        <body style="margin:0;padding:0;background:#f0f4f5;font-family:Arial,sans-serif;color:#212b32;font-size:19px;line-height:1.47">
          <div style="background:#005eb8;color:#ffffff;padding:16px 24px;font-weight:bold;font-size:22px">NHS</div>
          <div style="background:#ffffff;max-width:640px;margin:0 auto;padding:24px">{props.children}</div>
        </body>
      </html>
    </>
  );
}
