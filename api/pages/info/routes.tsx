/**
 * The pages every page's footer links to: the privacy notice (the offer page asks patients to agree to
 * share their records, so they must be able to read what happens to them), the accessibility statement
 * and how to contact us. Plain pages; the phone number is the service's own (PATIENT_PHONE).
 */
import { Hono } from 'hono';
import type { AppDeps } from '../../context';
import { Layout, telephoneLink } from '../layout';

export function infoPages(deps: Pick<AppDeps, 'patientPhone'>) {
  const app = new Hono();
  const phone = deps.patientPhone;

  app.get('/privacy', (c) =>
    c.html(
      <Layout title="Privacy notice">
        <h1>Privacy notice</h1>
        <p class="nhsuk-body-l">How we use your information when we offer you earlier treatment at another hospital.</p>
        <h2>Who we are</h2>
        <p>
          This service is run for the NHS. The hospital where you are on the waiting list (your trust) is responsible for your
          records. It uses this service to offer some patients treatment sooner at an independent hospital that treats NHS patients.
        </p>
        <h2>What we use</h2>
        <p>
          Your name, contact details, NHS number, date of birth, postcode and the details of your place on the waiting list, as your
          trust holds them. We use your postcode to work out which hospitals are near enough, and your clinical details to check that
          a hospital can treat you safely.
        </p>
        <h2>Who we share it with</h2>
        <p>
          Only if you accept an offer and agree to it on the offer page: your trust shares your health records with the hospital you
          chose, so it can plan and carry out your treatment. If you decline, or do not answer, nothing is shared and you keep your
          place on the waiting list.
        </p>
        <h2>How long we keep it</h2>
        <p>As long as the NHS keeps the records of your care, under the NHS records management code of practice.</p>
        <h2>Your rights</h2>
        <p>
          You can ask to see the information we hold about you, ask us to correct it, or object to how we use it. Call us on{' '}
          <a href={telephoneLink(phone)}>{phone}</a>. You can also complain to the Information Commissioner's Office.
        </p>
      </Layout>,
    ),
  );

  app.get('/accessibility', (c) =>
    c.html(
      <Layout title="Accessibility statement">
        <h1>Accessibility statement</h1>
        <p class="nhsuk-body-l">We want as many people as possible to be able to use this service.</p>
        <p>
          Its pages are built with the NHS.UK design system. You should be able to use them on a phone, zoom in up to 400% without the
          text spilling off the screen, and use them with a keyboard, a screen reader or speech recognition software. They work
          without JavaScript.
        </p>
        <h2>Testing</h2>
        <p>Every page is checked automatically with axe-core each time the service changes, and on a phone-sized screen.</p>
        <h2>If you cannot use a page</h2>
        <p>
          Call us on <a href={telephoneLink(phone)}>{phone}</a> and we will take your answer by phone, or send you what you need in
          another format.
        </p>
      </Layout>,
    ),
  );

  app.get('/contact', (c) =>
    c.html(
      <Layout title="Contact us">
        <h1>Contact us</h1>
        <p class="nhsuk-body-l">
          If you have a question about an offer of earlier treatment, or want to answer it by phone, call us on{' '}
          <a href={telephoneLink(phone)}>{phone}</a>.
        </p>
        <p>Have your offer email or letter with you if you can.</p>
      </Layout>,
    ),
  );
  return app;
}
