/**
 * A trust's print batch as one PDF: each letter starts on a new page, addressed for a window
 * envelope, in the same words as the email (a message's MessageContent), with its link written out
 * in full and as a QR code, and the number to call at the foot of every page.
 */
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { formatDate } from '../domain/dates';
import type { MessageContent } from './templates';

/** Where the letter goes: read from the patient's record at print time, so a new address is used. */
export interface LetterAddressee {
  readonly name: string;
  readonly addressLine1: string | null;
  readonly addressLine2: string | null;
  readonly town: string | null;
  readonly postcode: string | null;
}

export interface Letter {
  readonly content: MessageContent;
  readonly to: LetterAddressee;
}

export interface PrintOptions {
  /** The number patients call, printed at the foot of every page. */
  readonly phone: string;
  /** The day the batch is printed, written on every letter. */
  readonly printedAt: Date;
}

const NHS_BLUE = '#005eb8';
const NHS_TEXT = '#212b32';
const NHS_SECONDARY_TEXT = '#4c6272';
const MM = 72 / 25.4;
const MARGIN = 20 * MM;
/** Room under the body for the footer, which is drawn inside the bottom margin. */
const BOTTOM_MARGIN = 30 * MM;
/** The address block sits where a C5/DL window envelope shows it. */
const ADDRESS_TOP = 45 * MM;
const BODY_TOP = 95 * MM;
const QR_SIZE = 32 * MM;
const SIGN_OFF = 'NHS Backlog Transfer';

/**
 * DejaVu Sans, embedded: PDF's built-in Helvetica has Western European letters only, and patients'
 * names and addresses (Łukasz, Nguyễn, Şahin) must print as they are written.
 */
const fontFile = (name: string) => createRequire(import.meta.url).resolve(`dejavu-fonts-ttf/ttf/${name}.ttf`);
const FONTS = {
  regular: fontFile('DejaVuSans'),
  bold: fontFile('DejaVuSans-Bold'),
  boldOblique: fontFile('DejaVuSans-BoldOblique'),
} as const;

/** Renders the letters into one PDF, in the order given. */
export async function renderLetters(letters: readonly Letter[], options: PrintOptions): Promise<Buffer> {
  if (letters.length === 0) throw new Error('a print batch needs at least one letter');
  const actions = await Promise.all(letters.map(({ content }) => content.action && withQrCode(content.action)));
  const doc = new PDFDocument({
    size: 'A4',
    autoFirstPage: false,
    // Footers are drawn once every letter is laid out, when each letter's page count is known.
    bufferPages: true,
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: BOTTOM_MARGIN },
    info: { Title: 'NHS Backlog Transfer letters', Author: SIGN_OFF },
  });
  const output = collect(doc);
  const pageRanges = letters.map((letter, index) => drawLetter(doc, letter, actions[index], options.printedAt));
  pageRanges.forEach((range, index) => drawFooters(doc, range, { phone: options.phone, letter: index + 1, letters: letters.length }));
  doc.end();
  return output;
}

/** The letter's action with its QR code, made before layout because the encoder is asynchronous. */
type Action = NonNullable<MessageContent['action']> & { readonly qrCode: Buffer };

async function withQrCode(action: NonNullable<MessageContent['action']>): Promise<Action> {
  return { ...action, qrCode: await QRCode.toBuffer(action.href, { type: 'png', errorCorrectionLevel: 'M', margin: 1, width: 300 }) };
}

function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

interface PageRange {
  readonly first: number;
  readonly count: number;
}

/** Lays out one letter from a new page; returns the pages it took. */
function drawLetter(doc: PDFKit.PDFDocument, letter: Letter, action: Action | undefined, printedAt: Date): PageRange {
  doc.addPage();
  const first = doc.bufferedPageRange().count - 1;
  drawHeading(doc);
  drawAddressAndDate(doc, letter.to, printedAt);
  drawBody(doc, letter.content, action);
  return { first, count: doc.bufferedPageRange().count - first };
}

function drawHeading(doc: PDFKit.PDFDocument): void {
  const width = doc.page.width - 2 * MARGIN;
  doc.font(FONTS.boldOblique).fontSize(32).fillColor(NHS_BLUE).text('NHS', MARGIN, MARGIN, { width, align: 'right' });
  doc.font(FONTS.regular).fontSize(10).fillColor(NHS_SECONDARY_TEXT).text('Backlog Transfer', { width, align: 'right' });
}

function drawAddressAndDate(doc: PDFKit.PDFDocument, to: LetterAddressee, printedAt: Date): void {
  const width = doc.page.width - 2 * MARGIN;
  doc.font(FONTS.regular).fontSize(10).fillColor(NHS_TEXT).text(formatDate(printedAt), MARGIN, ADDRESS_TOP, { width, align: 'right' });
  const lines = [to.name, to.addressLine1, to.addressLine2, to.town, to.postcode].filter((line): line is string => Boolean(line?.trim()));
  doc.fontSize(11).text(lines.join('\n'), MARGIN, ADDRESS_TOP, { width: width / 2 });
}

function drawBody(doc: PDFKit.PDFDocument, content: MessageContent, action: Action | undefined): void {
  const width = doc.page.width - 2 * MARGIN;
  doc.font(FONTS.bold).fontSize(14).fillColor(NHS_TEXT).text(content.subject, MARGIN, Math.max(doc.y + 8 * MM, BODY_TOP), { width });
  doc.moveDown(0.8);
  for (const paragraph of [content.greeting, ...content.paragraphs]) bodyText(doc, paragraph);
  if (action) drawAction(doc, action);
  for (const paragraph of [...content.after, SIGN_OFF]) bodyText(doc, paragraph);
}

function bodyText(doc: PDFKit.PDFDocument, paragraph: string): void {
  doc.font(FONTS.regular).fontSize(11).fillColor(NHS_TEXT).text(paragraph, MARGIN, doc.y, { width: doc.page.width - 2 * MARGIN, paragraphGap: 8 });
}

/** The action as words a person can type (the link in full) and as a QR code a phone can scan, kept together on one page. */
function drawAction(doc: PDFKit.PDFDocument, action: Action): void {
  const width = doc.page.width - 2 * MARGIN;
  const needed = doc.heightOfString(action.label, { width }) + doc.heightOfString(action.href, { width }) + QR_SIZE + 16 * MM;
  if (doc.y + needed > doc.page.height - BOTTOM_MARGIN) doc.addPage();
  doc.moveDown(0.4).font(FONTS.bold).fontSize(11).fillColor(NHS_TEXT).text(`${action.label}:`, MARGIN, doc.y, { width });
  doc.font(FONTS.regular).fillColor(NHS_BLUE).text(action.href, { width, link: action.href, underline: true, paragraphGap: 8 });
  const top = doc.y;
  doc.image(action.qrCode, MARGIN, top, { width: QR_SIZE, height: QR_SIZE });
  doc
    .font(FONTS.regular)
    .fillColor(NHS_SECONDARY_TEXT)
    .fontSize(10)
    .text("Or scan this code with your phone's camera to open the same page.", MARGIN + QR_SIZE + 6 * MM, top + QR_SIZE / 2 - 6, {
      width: width - QR_SIZE - 6 * MM,
    });
  doc.y = top + QR_SIZE + 6 * MM;
}

/** The number to call, and where each page belongs in the batch (so a two-page letter is posted together). */
function drawFooters(doc: PDFKit.PDFDocument, range: PageRange, batch: { phone: string; letter: number; letters: number }): void {
  for (let page = 0; page < range.count; page++) {
    doc.switchToPage(range.first + page);
    const width = doc.page.width - 2 * MARGIN;
    const top = doc.page.height - BOTTOM_MARGIN + 8 * MM;
    // The footer sits in the bottom margin: without this, pdfkit would start a new page to write it.
    doc.page.margins.bottom = 0;
    doc.moveTo(MARGIN, top - 3 * MM).lineTo(MARGIN + width, top - 3 * MM).lineWidth(1).strokeColor(NHS_BLUE).stroke();
    doc.font(FONTS.bold).fontSize(13).fillColor(NHS_BLUE).text(`To talk about this, call ${batch.phone}`, MARGIN, top, { width, lineBreak: false });
    doc
      .font(FONTS.regular)
      .fontSize(8)
      .fillColor(NHS_SECONDARY_TEXT)
      .text(`Letter ${batch.letter} of ${batch.letters}, page ${page + 1} of ${range.count}`, MARGIN, top + 7 * MM, { width, align: 'right', lineBreak: false });
    doc.page.margins.bottom = BOTTOM_MARGIN;
  }
}
