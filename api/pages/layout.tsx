/**
 * The NHS.UK design system frame (nhsuk-frontend) for every server-rendered page: skip link, header,
 * the beta phase banner, main container, and a footer with the privacy notice, the accessibility
 * statement and how to contact us (info/routes.tsx). Pages work without JavaScript; the design system's script only enhances.
 */
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';

export const ASSETS = '/assets';

/** A tel: link for a number as written for people ("0808 157 0192"). */
export function telephoneLink(phone: string): string {
  return `tel:${phone.replace(/[^0-9+]/g, '')}`;
}

function NhsLogo() {
  return (
    <svg class="nhsuk-header__logo" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 80" height="40" width="100" focusable="false" role="img" aria-label="NHS">
      <title>NHS</title>
      <path
        fill="currentcolor"
        d="M200 0v80H0V0h200Zm-27.5 5.5c-14.5 0-29 5-29 22 0 10.2 7.7 13.5 14.7 16.3l.7.3c5.4 2 10.1 3.9 10.1 8.4 0 6.5-8.5 7.5-14 7.5s-12.5-1.5-16-3.5L135 70c5.5 2 13.5 3.5 20 3.5 15.5 0 32-4.5 32-22.5 0-19.5-25.5-16.5-25.5-25.5 0-5.5 5.5-6.5 12.5-6.5a35 35 0 0 1 14.5 3l4-13.5c-4.5-2-12-3-20-3Zm-131 2h-22l-14 65H22l9-45h.5l13.5 45h21.5l14-65H64l-9 45h-.5l-13-45Zm63 0h-18l-13 65h17l6-28H117l-5.5 28H129l13.5-65H125L119.5 32h-20l5-24.5Z"
      />
    </svg>
  );
}

/** What the NHS header holds besides the logo and service name: where the logo goes, who is signed in, each page's link. */
export interface HeaderParts {
  /** Where the logo and service name lead (the staff member's first page). */
  readonly home: string;
  readonly account?: { readonly name: string; readonly signOutAction: string };
  readonly navigation?: readonly { readonly href: string; readonly label: string }[];
}

export function Layout(props: { title: string; service?: string; header?: HeaderParts; children: Child }) {
  const service = props.service ?? 'Get treated sooner';
  const logoAndName = (
    <>
      <NhsLogo />
      <span class="nhsuk-header__service-name">{service}</span>
    </>
  );
  return (
    <>
      {/* Without a doctype browsers render in quirks mode, and the design system's layout is off. */}
      {raw('<!DOCTYPE html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <title>{`${props.title} – ${service} – NHS`}</title>
          <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
          <meta name="theme-color" content="#005eb8" />
          <meta name="referrer" content="no-referrer" />
          <link rel="icon" href={`${ASSETS}/images/favicon.ico`} sizes="48x48" />
          <link rel="stylesheet" href={`${ASSETS}/nhsuk-frontend.min.css`} />
        </head>
        <body>
          <a class="nhsuk-skip-link" href="#maincontent">
            Skip to main content
          </a>
          <header class="nhsuk-header" role="banner">
            <div class="nhsuk-header__container nhsuk-width-container">
              <div class="nhsuk-header__service">
                {props.header ? (
                  <a class="nhsuk-header__service-logo" href={props.header.home} aria-label={`NHS ${service} homepage`}>
                    {logoAndName}
                  </a>
                ) : (
                  <span class="nhsuk-header__service-logo">{logoAndName}</span>
                )}
              </div>
              {props.header?.account ? (
                <nav class="nhsuk-header__account" aria-label="Account">
                  <ul class="nhsuk-header__account-list">
                    <li class="nhsuk-header__account-item" data-testid="signed-in">
                      {props.header.account.name}
                    </li>
                    <li class="nhsuk-header__account-item">
                      <form class="nhsuk-header__account-form" action={props.header.account.signOutAction} method="post" novalidate>
                        <button class="nhsuk-header__account-button">Sign out</button>
                      </form>
                    </li>
                  </ul>
                </nav>
              ) : null}
            </div>
            {props.header?.navigation?.length ? (
              <nav class="nhsuk-header__navigation" aria-label="Menu">
                <div class="nhsuk-header__navigation-container nhsuk-width-container">
                  <ul class="nhsuk-header__navigation-list">
                    {props.header.navigation.map((link) => (
                      <li class="nhsuk-header__navigation-item">
                        <a class="nhsuk-header__navigation-link" href={link.href}>
                          {link.label}
                        </a>
                      </li>
                    ))}
                  </ul>
                </div>
              </nav>
            ) : null}
          </header>
          <div class="nhsuk-width-container">
            <p class="nhsuk-body-s nhsuk-u-margin-top-3 nhsuk-u-margin-bottom-0" data-testid="phase-banner">
              <strong class="nhsuk-tag nhsuk-u-margin-right-2">Beta</strong>
              This is a new service. If anything is unclear, <a href="/contact">contact us</a>.
            </p>
            <main class="nhsuk-main-wrapper" id="maincontent">
              {props.children}
            </main>
          </div>
          <footer role="contentinfo">
            <div class="nhsuk-footer">
              <div class="nhsuk-width-container">
                <h2 class="nhsuk-u-visually-hidden">Support links</h2>
                <ul class="nhsuk-footer__list">
                  <li class="nhsuk-footer__list-item">
                    <a class="nhsuk-footer__list-item-link" href="/privacy">
                      Privacy notice
                    </a>
                  </li>
                  <li class="nhsuk-footer__list-item">
                    <a class="nhsuk-footer__list-item-link" href="/accessibility">
                      Accessibility statement
                    </a>
                  </li>
                  <li class="nhsuk-footer__list-item">
                    <a class="nhsuk-footer__list-item-link" href="/contact">
                      Contact us
                    </a>
                  </li>
                </ul>
                <p class="nhsuk-footer__copyright">© NHS England</p>
              </div>
            </div>
          </footer>
          <script type="module" src={`${ASSETS}/nhsuk-frontend.min.js`}></script>
        </body>
      </html>
    </>
  );
}
