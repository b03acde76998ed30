/**
 * Patients' personal data must never be readable in a workflow history as Temporal stores it
 * (PRODUCT.md §4): payloads are encrypted by the codec, and what it does not encrypt (workflow ids,
 * search attributes, failure messages and stack traces, memo and header keys) must hold none.
 *
 * The check reads a history as the server keeps it, with no codec, and looks at every string and every
 * byte field in it, payload data decoded as text (inputs, results, Update and signal arguments,
 * failures with their details, causes and stacks, memo, headers, search attributes), for any patient's
 * NHS number, name, email, date of birth, postcode or phone: every patient row in the test database,
 * and any valid NHS number of the test range, whoever's it is.
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { expect } from 'vitest';
import type { Db } from '../../db/database';
import { isValidNhsNumber } from '../../domain/nhs-number';

type History = temporal.api.history.v1.IHistory;

export interface NamedHistory {
  readonly name: string;
  readonly history: History;
}

interface PersonalDatum {
  /** What it is and whose, for the report: "patient 3's email". */
  readonly what: string;
  readonly pattern: RegExp;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Matches the text whatever spaces are written inside it, or none ("LE2 7LX", "LE27LX"). */
const spaced = (text: string) =>
  text
    .replace(/\s+/g, '')
    .split('')
    .map(escape)
    .join('[\\s-]?');

/** Every patient's identifying details, as patterns that find them however they are written. */
export async function patientsPersonalData(db: Db): Promise<PersonalDatum[]> {
  const patients = await db.selectFrom('patients').select(['id', 'nhs_number', 'given_name', 'family_name', 'date_of_birth', 'email', 'postcode', 'phone']).execute();
  return patients.flatMap((patient) => {
    const whose = `patient ${patient.id}'s`;
    const [year, month, day] = patient.date_of_birth.split('-');
    const data: PersonalDatum[] = [
      { what: `${whose} NHS number`, pattern: new RegExp(`(?<!\\d)${spaced(patient.nhs_number)}(?!\\d)`) },
      // Names as written, whole words: "Price" and "Grace" are words too, "price" and "grace" are no one's.
      { what: `${whose} given name`, pattern: new RegExp(`\\b${escape(patient.given_name)}\\b`) },
      { what: `${whose} family name`, pattern: new RegExp(`\\b${escape(patient.family_name)}\\b`) },
      { what: `${whose} date of birth`, pattern: new RegExp(`${patient.date_of_birth}|${day}/${month}/${year}`) },
    ];
    if (patient.email) data.push({ what: `${whose} email`, pattern: new RegExp(escape(patient.email), 'i') });
    if (patient.postcode) data.push({ what: `${whose} postcode`, pattern: new RegExp(`\\b${spaced(patient.postcode)}\\b`, 'i') });
    if (patient.phone) {
      // Stored in E.164 ("+447700900123"); found as written at home too ("07700 900123").
      const forms = [patient.phone, patient.phone.replace(/^\+44/, '0')].map((form) => spaced(form.replace(/^\+/, '')));
      data.push({ what: `${whose} phone`, pattern: new RegExp(`(?<!\\d)(?:${forms.join('|')})(?!\\d)`) });
    }
    return data;
  });
}

const TEST_RANGE_NHS_NUMBER = /(?<!\d)999[\s-]?\d{3}[\s-]?\d{4}(?!\d)/g;
const decoder = new TextDecoder();

/** Every piece of text in a history: strings as they are, bytes (payload data, metadata) decoded. */
function textsOf(node: unknown, path: string, found: { path: string; text: string }[] = []): { path: string; text: string }[] {
  if (typeof node === 'string') found.push({ path, text: node });
  else if (node instanceof Uint8Array) found.push({ path, text: decoder.decode(node) });
  else if (Array.isArray(node)) node.forEach((item, index) => textsOf(item, `${path}[${index}]`, found));
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) textsOf(value, `${path}.${key}`, found);
  }
  return found;
}

/** Where each personal datum shows in the history: "event 7 (ACTIVITY_TASK_FAILED) .failure.message: patient 1's email". */
export function personalDataIn(history: History, data: readonly PersonalDatum[]): string[] {
  const findings: string[] = [];
  for (const event of history.events ?? []) {
    for (const { path, text } of textsOf(event, '')) {
      const where = `event ${String(event.eventId)} (${temporal.api.enums.v1.EventType[event.eventType ?? 0]}) ${path}`;
      for (const datum of data) if (datum.pattern.test(text)) findings.push(`${where}: ${datum.what}`);
      for (const [number] of text.matchAll(TEST_RANGE_NHS_NUMBER)) {
        if (isValidNhsNumber(number.replace(/[\s-]/g, ''))) findings.push(`${where}: an NHS number (${number.slice(0, 3)}…)`);
      }
    }
  }
  return findings;
}

/** Every run of every workflow in the client's namespace, each history as the server stores it. */
export async function namespaceHistories(client: Client): Promise<NamedHistory[]> {
  const histories: NamedHistory[] = [];
  for await (const execution of client.workflow.list()) {
    const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
    histories.push({ name: `${execution.workflowId} (run ${execution.runId})`, history });
  }
  return histories;
}

/** Fails naming the history, event, field and whose datum it is, for every one found; none may be. */
export async function expectNoPersonalData(histories: readonly NamedHistory[], db: Db): Promise<void> {
  expect(histories.length, 'histories to look through').toBeGreaterThan(0);
  const data = await patientsPersonalData(db);
  expect(data.length, "patients' details to look for").toBeGreaterThan(0);
  const findings = histories.flatMap(({ name, history }) => personalDataIn(history, data).map((finding) => `${name}: ${finding}`));
  expect(findings).toEqual([]);
}
