import type { Disclosure, DisclosureChannel, DisclosureField } from './entities/disclosure.entity';

/** A disclosure as its record, without the package: what auditors see. */
export interface DisclosureRecord {
  id: string;
  personId: string;
  recipient: { authority: string; country: string };
  channel: DisclosureChannel;
  legalBasis: string;
  caseReference: string;
  fields: DisclosureField[];
  packageSha256: string;
  travelNoticeId: string | null;
  createdBy: string;
  createdAt: Date;
}

export const toDisclosureRecord = (d: Disclosure): DisclosureRecord => ({
  id: d.id,
  personId: d.personId,
  recipient: { authority: d.recipientAuthority, country: d.recipientCountry },
  channel: d.channel,
  legalBasis: d.legalBasis,
  caseReference: d.caseReference,
  fields: d.fields,
  packageSha256: d.packageSha256,
  travelNoticeId: d.travelNoticeId,
  createdBy: d.createdBy,
  createdAt: d.createdAt,
});
