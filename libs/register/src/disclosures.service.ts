import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { IsNull } from 'typeorm';
import { DomainError, type Page } from '@app/common';
import { type Principal, RecordAccess } from '@app/authz';
import type { RequestAudit } from '@app/audit';
import { type DisclosureListItem, DisclosureRecords } from './access/disclosure-records';
import { PersonAccess } from './access/person-access';
import { PersonReadModel } from './access/person-read-model';
import { buildPackage, type DisclosurePackage, packagePdf, packageSha256 } from './disclosure-package';
import { DisclosureRecord, toDisclosureRecord } from './disclosure.views';
import type { CreateDisclosureDto, DisclosureQuery } from './dto/disclosure.dto';
import { Disclosure, DISCLOSURE_FIELDS } from './entities/disclosure.entity';
import { Notification } from './entities/notification.entity';
import { Photo } from './entities/photo.entity';
import { toNotificationView } from './notifications.service';

/** The answer to a disclosure: its record and the package as sent. */
export class DisclosureAnswer extends DisclosureRecord {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The package as sent (canonical JSON; its SHA-256 is packageSha256): the fields chosen, nothing else',
    example: { person: { surname: 'Petrović', givenNames: 'Marko' }, convictions: [] },
  })
  package!: DisclosurePackage;
}

/** A package handed out again: as JSON, or as its PDF. */
export type { DisclosurePackage };

export type PackageDownload =
  { format: 'json'; package: DisclosurePackage } | { format: 'pdf'; fileName: string; data: Buffer };

const ABSENT = 'No such disclosure.';

/**
 * Disclosures abroad (issue #17): a clerk sends chosen parts of a person to
 * an authority abroad through Interpol, Europol or a bilateral channel. The
 * package is built from the person's view (the one the person routes answer
 * with), kept as sent with the SHA-256 of its canonical JSON, and recorded
 * as a flagged event naming the recipient. Auditors list the records, never
 * the packages.
 */
@Injectable()
export class DisclosuresService {
  constructor(
    private readonly access: PersonAccess,
    private readonly people: PersonReadModel,
    private readonly records: DisclosureRecords,
    private readonly rules: RecordAccess,
  ) {}

  create(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    input: CreateDisclosureDto,
  ): Promise<DisclosureAnswer> {
    audit.on('disclosure').subject(personId);
    audit.recipient = `${input.recipient.authority} (${input.recipient.country})`;
    // The package's parts in one order, whatever the order asked.
    const fields = DISCLOSURE_FIELDS.filter((field) => input.fields.includes(field));
    audit.details = { channel: input.channel, fields, caseReference: input.caseReference };
    const target = { action: 'create', on: 'Disclosure', personId } as const;
    return this.access.within(audit, principal, target, async (person) => {
      const travelNoticeId = input.travelNoticeId ?? null;
      if (travelNoticeId) {
        const notice = await person.one(Notification, {
          id: travelNoticeId,
          kind: 'travel_abroad',
          voidedAt: IsNull(),
        });
        if (!notice) {
          throw DomainError.validation([
            { field: 'travelNoticeId', message: 'is not a travel-abroad notice of this person' },
          ]);
        }
      }
      const chosen = new Set(fields);
      const sources = {
        view: await this.people.current(person, principal),
        photos: chosen.has('photos') ? await person.allWithBytes(Photo, 'data', ['takenAt', 'DESC']) : [],
        travelNotices: chosen.has('travel_notices')
          ? (
              await person.all(
                Notification,
                { notifiedAt: 'ASC', id: 'ASC' },
                { kind: 'travel_abroad', voidedAt: IsNull() },
              )
            ).map(toNotificationView)
          : [],
      };
      const id = randomUUID();
      const pkg = buildPackage(
        {
          id,
          preparedAt: new Date().toISOString(),
          recipient: { authority: input.recipient.authority, country: input.recipient.country },
          channel: input.channel,
          legalBasis: input.legalBasis,
          caseReference: input.caseReference,
          travelNoticeId,
          fields,
        },
        sources,
      );
      const sha256 = packageSha256(pkg);
      const row = await person.insert(Disclosure, {
        id,
        recipientAuthority: input.recipient.authority,
        recipientCountry: input.recipient.country,
        channel: input.channel,
        legalBasis: input.legalBasis,
        caseReference: input.caseReference,
        fields,
        packageSha256: sha256,
        package: pkg,
        travelNoticeId,
        createdBy: principal.userId,
      });
      audit.on('disclosure', id);
      audit.details = { ...audit.details, packageSha256: sha256, travelNoticeId };
      audit.resultCount = 1;
      return { ...toDisclosureRecord(row), package: pkg };
    });
  }

  /** The disclosures the caller may read, newest first: clerks with the person's name, auditors the record only. */
  list(audit: RequestAudit, principal: Principal, query: DisclosureQuery): Promise<Page<DisclosureListItem>> {
    const withNames = this.rules.ability(principal).can('export', 'Disclosure');
    return this.records.list(audit, principal, query, withNames);
  }

  /** The package as it was sent, again (a clerk's download; not a new disclosure). */
  async package(
    audit: RequestAudit,
    principal: Principal,
    id: string,
    format: 'json' | 'pdf',
  ): Promise<PackageDownload> {
    audit.on('disclosure', id);
    audit.details = { format };
    const personId = await this.records.personOf(id);
    const part = { entity: Disclosure, id, absent: ABSENT };
    const target = { action: 'export', on: 'Disclosure', personId, part, absent: ABSENT } as const;
    return this.access.within(audit, principal, target, async (person) => {
      const row = await person.partWithBytes(Disclosure, 'package');
      audit.resultCount = 1;
      const pkg = row.package as DisclosurePackage;
      if (format === 'json') return { format, package: pkg };
      return { format, fileName: `disclosure-${id}.pdf`, data: await packagePdf(pkg, row.packageSha256) };
    });
  }
}
