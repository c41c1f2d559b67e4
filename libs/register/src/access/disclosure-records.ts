import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DomainError, fromJsonRow, Keyset, type KeysetColumn, type Page, positional } from '@app/common';
import type { Principal } from '@app/authz';
import type { RequestAudit } from '@app/audit';
import { ListPages } from '@app/compliance';
import type { DisclosureQuery } from '../dto/disclosure.dto';
import { ApiProperty } from '@nestjs/swagger';
import { DisclosureRecord, toDisclosureRecord } from '../disclosure.views';
import { Disclosure } from '../entities/disclosure.entity';
import { PersonAccess } from './person-access';

/** A list item: the record, and for those who may have the package (clerks) the person's name. */
export class DisclosedPersonView {
  @ApiProperty({ example: 'Petrović' })
  surname!: string;

  @ApiProperty({ example: 'Marko' })
  givenNames!: string;
}

export class DisclosureListItem extends DisclosureRecord {
  @ApiProperty({
    type: () => DisclosedPersonView,
    required: false,
    description: 'Only for roles that may have the package',
  })
  person?: DisclosedPersonView;
}

/** A row of the list: the disclosure's columns (never its package) and the person's name. */
type DisclosureRow = Record<string, unknown> & { person_id: string; surname: string; given_names: string };

/** Newest first. */
const NEWEST_FIRST: KeysetColumn[] = [
  { sql: 'l.created_at', kind: 'time', desc: true },
  { sql: 'l.id', kind: 'uuid', desc: true },
];

/**
 * Disclosures across persons: the list (scoped in SQL by the caller's
 * `read` rule on Disclosure, paged by ListPages) and which person a
 * disclosure is of (its package is then read through PersonAccess).
 */
@Injectable()
export class DisclosureRecords {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: PersonAccess,
    private readonly pages: ListPages,
  ) {}

  list(
    audit: RequestAudit,
    principal: Principal,
    query: DisclosureQuery,
    withNames: boolean,
  ): Promise<Page<DisclosureListItem>> {
    audit.on('disclosure');
    if (query.from && query.to && query.to < query.from) {
      throw DomainError.validation([{ field: 'to', message: 'must be on or after from' }]);
    }
    const scope = positional(this.access.scope(principal, 'read', 'Disclosure', 'person'));
    const params: unknown[] = [...scope.params];
    const where = [scope.sql];
    const add = (condition: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(condition(`$${params.length}`));
    };
    const day = "(d.created_at AT TIME ZONE 'Europe/Belgrade')::date";
    if (query.from) add((p) => `${day} >= ${p}::date`, query.from);
    if (query.to) add((p) => `${day} <= ${p}::date`, query.to);
    if (query.personId) add((p) => `d.person_id = ${p}::uuid`, query.personId);
    if (query.country) add((p) => `d.recipient_country = ${p}`, query.country);
    const sql = `
      SELECT d.id, d.person_id, d.recipient_authority, d.recipient_country, d.channel, d.legal_basis,
             d.case_reference, d.fields, d.package_sha256, d.travel_notice_id, d.created_by, d.created_at,
             person.surname, person.given_names
        FROM disclosures d JOIN persons person ON person.id = d.person_id
       WHERE ${where.join(' AND ')}`;
    return this.pages.page<DisclosureListItem, DisclosureRow>(
      audit,
      sql,
      params,
      new Keyset(NEWEST_FIRST, query),
      (row) => ({
        ...toDisclosureRecord(fromJsonRow(this.dataSource.manager, Disclosure, row)),
        ...(withNames ? { person: { surname: row.surname, givenNames: row.given_names } } : {}),
      }),
    );
  }

  /** The person a disclosure is of; 404 when there is no such disclosure. */
  async personOf(id: string): Promise<string> {
    const [row]: { person_id: string }[] = await this.dataSource.query(
      'SELECT person_id FROM disclosures WHERE id = $1',
      [id],
    );
    if (!row) throw DomainError.notFound('No such disclosure.');
    return row.person_id;
  }
}
