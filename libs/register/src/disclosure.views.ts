import { ApiProperty } from '@nestjs/swagger';
import {
  type Disclosure,
  DISCLOSURE_CHANNELS,
  DISCLOSURE_FIELDS,
  type DisclosureChannel,
  type DisclosureField,
} from './entities/disclosure.entity';

export class DisclosureRecipientView {
  @ApiProperty({ example: 'Bundeskriminalamt' })
  authority!: string;

  @ApiProperty({ description: 'ISO 3166-1 alpha-2', example: 'DE' })
  country!: string;
}

/** A disclosure as its record, without the package: what auditors see. */
export class DisclosureRecord {
  @ApiProperty({ format: 'uuid', example: 'c2f1a7d4-5b3e-4f6a-8d9c-1e2f3a4b5c6d' })
  id!: string;

  @ApiProperty({ format: 'uuid', example: '7a4e2c1b-9d8f-4e3a-b2c1-0f9e8d7c6b5a' })
  personId!: string;

  @ApiProperty({ type: () => DisclosureRecipientView })
  recipient!: DisclosureRecipientView;

  @ApiProperty({ enum: DISCLOSURE_CHANNELS, example: 'interpol' })
  channel!: DisclosureChannel;

  @ApiProperty({ example: 'Zakon o posebnim merama, čl. 12' })
  legalBasis!: string;

  @ApiProperty({ example: 'INT-2026/0042' })
  caseReference!: string;

  @ApiProperty({ enum: DISCLOSURE_FIELDS, isArray: true, example: ['identity', 'convictions', 'measures'] })
  fields!: DisclosureField[];

  @ApiProperty({ example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' })
  packageSha256!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, example: null })
  travelNoticeId!: string | null;

  @ApiProperty({ format: 'uuid', example: '5d6e7f80-1a2b-4c3d-8e4f-9a0b1c2d3e4f' })
  createdBy!: string;

  @ApiProperty({ example: '2026-02-23T11:00:00.000Z' })
  createdAt!: Date;
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
