import * as path from 'node:path';
import PDFDocument from 'pdfkit';

/** Fonts with the whole Serbian Latin and Cyrillic alphabets (the PDF's standard fonts lack č, ć, đ). */
const FONT_DIR = path.resolve('node_modules', 'dejavu-fonts-ttf', 'ttf');
const REGULAR = path.join(FONT_DIR, 'DejaVuSans.ttf');
const BOLD = path.join(FONT_DIR, 'DejaVuSans-Bold.ttf');

/** One block of a document: a heading, then label–value rows, free lines and/or a table. */
export interface PdfSection {
  heading: string;
  rows?: readonly (readonly [label: string, value: string])[];
  lines?: readonly string[];
  table?: { columns: readonly string[]; rows: readonly (readonly string[])[] };
  /** JPEG or PNG images (photos), each with its caption. */
  images?: readonly { data: Buffer; caption: string }[];
}

export interface PdfContent {
  title: string;
  subtitle?: string;
  /**
   * Document information (Title is taken from `title`). `custom`: entries of
   * the register's own, each an object of its own in the file; bytes are
   * written as a hex string of fixed length (a signature's placeholder).
   */
  info?: { author?: string; subject?: string; keywords?: string; custom?: Record<string, string | Uint8Array> };
  sections: readonly PdfSection[];
  /** A PNG (e.g. a QR code) placed after the sections, with its caption. */
  image?: { png: Buffer; caption: string; size?: number };
  /** Fixed creation date, so one content gives one file (tests, re-issued copies). */
  createdAt?: Date;
}

/**
 * The one way the register writes a PDF: a title, sections of rows, lines
 * and tables, and an optional image, on A4 in DejaVu Sans. Documents that
 * must prove they were not changed are signed afterwards (see the audit's
 * signed documents); this only lays out.
 */
export function renderPdf(content: PdfContent): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: definedOnly({
      Title: content.title,
      Author: content.info?.author,
      Subject: content.info?.subject,
      Keywords: content.info?.keywords,
      CreationDate: content.createdAt ?? new Date(),
      ModDate: content.createdAt ?? new Date(),
      ...content.info?.custom,
    }),
    bufferPages: false,
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('regular', REGULAR);
  doc.registerFont('bold', BOLD);

  doc.font('bold').fontSize(16).text(content.title);
  if (content.subtitle) doc.font('regular').fontSize(10).fillColor('#444444').text(content.subtitle).fillColor('black');
  for (const section of content.sections) {
    doc.moveDown(0.8).font('bold').fontSize(12).text(section.heading);
    doc.font('regular').fontSize(9.5);
    for (const [label, value] of section.rows ?? []) {
      doc
        .font('bold')
        .text(`${label}: `, { continued: true })
        .font('regular')
        .text(value || '—');
    }
    for (const line of section.lines ?? []) doc.text(line);
    if (section.table) writeTable(doc, section.table);
    for (const image of section.images ?? []) writeImage(doc, image.data, image.caption, 150);
  }
  if (content.image) {
    const size = content.image.size ?? 120;
    doc.moveDown(1).image(content.image.png, { width: size, height: size });
    doc.font('regular').fontSize(8.5).text(content.image.caption);
  }
  doc.end();
  return done;
}

function definedOnly<T extends object>(values: T): T {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as T;
}

/** An image fitted in a square of `size` points (a new page when it would not fit), its caption below. */
function writeImage(doc: PDFKit.PDFDocument, data: Buffer, caption: string, size: number): void {
  if (doc.y + size + 20 > doc.page.height - doc.page.margins.bottom) doc.addPage();
  const top = doc.y + 4;
  doc.image(data, doc.page.margins.left, top, { fit: [size, size] });
  doc.x = doc.page.margins.left;
  doc.y = top + size + 2;
  doc.font('regular').fontSize(8.5).text(caption);
}

function writeTable(doc: PDFKit.PDFDocument, table: NonNullable<PdfSection['table']>): void {
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const columnWidth = width / Math.max(table.columns.length, 1);
  const writeRow = (cells: readonly string[], font: 'regular' | 'bold'): void => {
    doc.font(font).fontSize(8.5);
    const heights = cells.map((cell) => doc.heightOfString(cell || '—', { width: columnWidth - 4 }));
    const height = Math.max(...heights, 10);
    if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
    const top = doc.y;
    cells.forEach((cell, index) =>
      doc.text(cell || '—', left + index * columnWidth, top, { width: columnWidth - 4, lineBreak: true }),
    );
    doc.x = left;
    doc.y = top + height + 2;
  };
  doc.moveDown(0.3);
  writeRow(table.columns, 'bold');
  for (const row of table.rows) writeRow(row, 'regular');
}
