import { createHash } from 'node:crypto';
import { canonicalJson } from '@app/audit';
import { pdfText } from '../../../test/support/pdf-text';
import { buildPackage, type PackageHeader, type PackageSources, packagePdf, packageSha256 } from './disclosure-package';
import type { PersonView } from './person.views';

const view = {
  id: '7f0c2a52-1d8e-4c1e-9a55-0d1f6c1b2e3a',
  surname: 'Đorđević',
  givenNames: 'Žarko',
  parentNames: null,
  jmbg: '0101990710008',
  identityDocument: null,
  dateOfBirth: '1990-01-01',
  placeOfBirth: 'Niš',
  sex: 'M',
  citizenship: 'RS',
  aliases: [],
  currentAddresses: { permanent: null, temporary: null },
  currentWorkplace: null,
  physicalDescription: null,
  photos: [],
  dnaReference: {
    laboratory: 'NCKF',
    sampleId: 'S-1',
    profileReference: 'DNK-77',
    collectedOn: '2025-01-10',
    version: 1,
  },
  convictions: [],
  measures: [],
  compliance: { status: 'none', nextDueAt: null, lastCheckInAt: null },
  managingOfficerId: null,
  version: 1,
} as unknown as PersonView;
const sources: PackageSources = { view, photos: [], travelNotices: [] };
const header: PackageHeader = {
  id: 'a1b2c3d4-0000-4000-8000-000000000001',
  preparedAt: '2026-12-03T10:00:00.000Z',
  recipient: { authority: 'Bundeskriminalamt', country: 'AT' },
  channel: 'bilateral',
  legalBasis: 'Ugovor o policijskoj saradnji',
  caseReference: 'BKA-1',
  travelNoticeId: null,
  fields: ['identity', 'measures'],
};

describe('the disclosure package', () => {
  it('holds the chosen parts only, keyed by field', () => {
    const pkg = buildPackage(header, sources);
    expect(Object.keys(pkg.parts)).toEqual(['identity', 'measures']);
    expect(JSON.stringify(pkg)).not.toContain('DNK-77');
    expect(pkg).toMatchObject({ personId: view.id, recipient: header.recipient, fields: ['identity', 'measures'] });
  });

  it('hashes the canonical JSON, whatever order its keys come back in', () => {
    const pkg = buildPackage({ ...header, fields: ['dna_reference'] }, sources);
    const sha = createHash('sha256').update(canonicalJson(pkg)).digest('hex');
    expect(packageSha256(pkg)).toBe(sha);
    const reordered = JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(pkg).reverse())));
    expect(packageSha256(reordered)).toBe(sha);
    expect(packageSha256({ ...pkg, caseReference: 'BKA-2' })).not.toBe(sha);
  });

  it('renders a PDF with the person, the recipient and the hash, the same bytes each time', async () => {
    const pkg = buildPackage(header, sources);
    const sha = packageSha256(pkg);
    const pdf = await packagePdf(pkg, sha);
    expect(pdf.equals(await packagePdf(pkg, sha))).toBe(true);
    const text = await pdfText(pdf);
    expect(text).toContain('Žarko Đorđević');
    expect(text).toContain('Bundeskriminalamt (AT)');
    expect(text).toContain(sha);
  });
});
