import { createHash } from 'node:crypto';
import { renderPdf, type PdfSection } from '@app/common';
import { canonicalJson } from '@app/audit';
import type { DisclosureChannel, DisclosureField } from './entities/disclosure.entity';
import type { Photo } from './entities/photo.entity';
import type { NotificationView } from './notifications.service';
import type { PersonView } from './person.views';
import { toPhotoView } from './photos.service';

/** What a package says of itself: who sends it, to whom, why. */
export interface PackageHeader {
  id: string;
  preparedAt: string;
  recipient: { authority: string; country: string };
  channel: DisclosureChannel;
  legalBasis: string;
  caseReference: string;
  travelNoticeId: string | null;
  fields: DisclosureField[];
}

/** The package as sent: its header, the person's id and the chosen parts only (keyed by field), as plain JSON. */
export type DisclosurePackage = PackageHeader & {
  issuer: string;
  personId: string;
  parts: Partial<Record<DisclosureField, unknown>>;
};

export const ISSUER = 'Republika Srbija, Uprava za izvršenje krivičnih sankcija — Posebna evidencija';

/** The sources of the parts: the person's view (the one the person routes answer with), photos with their bytes, travel notices. */
export interface PackageSources {
  view: PersonView;
  photos: Photo[];
  travelNotices: NotificationView[];
}

const PARTS: { [F in DisclosureField]: (s: PackageSources) => unknown } = {
  identity: ({ view }) => ({
    id: view.id,
    surname: view.surname,
    givenNames: view.givenNames,
    parentNames: view.parentNames,
    jmbg: view.jmbg,
    identityDocument: view.identityDocument,
    dateOfBirth: view.dateOfBirth,
    placeOfBirth: view.placeOfBirth,
    sex: view.sex,
    citizenship: view.citizenship,
    aliases: view.aliases,
  }),
  photos: ({ photos }) => photos.map((p) => ({ ...toPhotoView(p), dataBase64: p.data.toString('base64') })),
  description: ({ view }) => view.physicalDescription,
  dna_reference: ({ view }) => view.dnaReference ?? null,
  convictions: ({ view }) => view.convictions,
  measures: ({ view }) => view.measures,
  travel_notices: ({ travelNotices }) => travelNotices,
};

/** The package of the chosen parts, as plain JSON (what is stored, answered and hashed). */
export function buildPackage(header: PackageHeader, sources: PackageSources): DisclosurePackage {
  const parts = Object.fromEntries(header.fields.map((field) => [field, PARTS[field](sources)]));
  return JSON.parse(
    JSON.stringify({ ...header, issuer: ISSUER, personId: sources.view.id, parts }),
  ) as DisclosurePackage;
}

/** SHA-256 (hex) of the package's canonical JSON: what the recipient can recompute. */
export function packageSha256(pkg: DisclosurePackage): string {
  return createHash('sha256').update(canonicalJson(pkg)).digest('hex');
}

const HEADINGS: Record<DisclosureField, string> = {
  identity: 'Identitet / Identity',
  photos: 'Fotografije / Photographs',
  description: 'Lični opis / Physical description',
  dna_reference: 'DNK referenca / DNA reference',
  convictions: 'Presude / Convictions',
  measures: 'Posebne mere / Special measures',
  travel_notices: 'Putovanja u inostranstvo / Travel abroad',
};

/** A value as one line of text: objects as `key: value; …`, lists joined. */
function text(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.length ? value.map(text).join(', ') : '—';
  if (typeof value === 'object') {
    return Object.entries(value)
      .map(([key, v]) => `${key}: ${text(v)}`)
      .join('; ');
  }
  return String(value);
}

function section(field: DisclosureField, value: unknown): PdfSection {
  const heading = HEADINGS[field];
  if (field === 'photos') {
    const photos = value as { takenAt: string; sha256: string; dataBase64: string }[];
    if (photos.length === 0) return { heading, lines: ['—'] };
    return {
      heading,
      images: photos.map((p) => ({
        data: Buffer.from(p.dataBase64, 'base64'),
        caption: `${p.takenAt} · SHA-256 ${p.sha256}`,
      })),
    };
  }
  if (Array.isArray(value)) return { heading, lines: value.length ? value.map((item) => `• ${text(item)}`) : ['—'] };
  if (value !== null && typeof value === 'object') {
    return { heading, rows: Object.entries(value).map(([key, v]) => [key, text(v)] as const) };
  }
  return { heading, lines: [text(value)] };
}

/** The package as a PDF: the header with the hash, then each chosen part; one file per package (its own date). */
export function packagePdf(pkg: DisclosurePackage, sha256: string): Promise<Buffer> {
  const identity = pkg.parts.identity as { surname: string; givenNames: string } | undefined;
  const person = identity ? `${identity.givenNames} ${identity.surname} (${pkg.personId})` : pkg.personId;
  return renderPdf({
    title: 'Obaveštenje o licu / Disclosure of personal data',
    subtitle: pkg.issuer,
    info: { subject: `Disclosure ${pkg.id}`, keywords: `sha256:${sha256}` },
    createdAt: new Date(pkg.preparedAt),
    sections: [
      {
        heading: 'Obaveštenje / Disclosure',
        rows: [
          ['Broj / Number', pkg.id],
          ['Primalac / Recipient', `${pkg.recipient.authority} (${pkg.recipient.country})`],
          ['Kanal / Channel', pkg.channel],
          ['Pravni osnov / Legal basis', pkg.legalBasis],
          ['Predmet / Case reference', pkg.caseReference],
          ['Lice / Person', person],
          ['Pripremljeno / Prepared', pkg.preparedAt],
          ['SHA-256', sha256],
        ],
      },
      ...pkg.fields.map((field) => section(field, pkg.parts[field])),
    ],
  });
}
