import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import {
  AppConfig,
  fromJsonRow,
  positional,
  fromJsonRows,
  type KeysetColumn,
  type Page,
  type PageQuery,
} from '@app/common';
import { type Principal, RecordAccess } from '@app/authz';
import { AuditLog, type RequestAudit } from '@app/audit';
import type { ComplianceStatus } from '@app/compliance';
import { toAddressView } from '../addresses.service';
import { toConvictionView } from '../convictions.service';
import { Address } from '../entities/address.entity';
import { Conviction } from '../entities/conviction.entity';
import { DnaReference } from '../entities/dna-reference.entity';
import { Measure } from '../entities/measure.entity';
import { PersonHistoryEntry } from '../entities/person-history.entity';
import { Person } from '../entities/person.entity';
import { Photo } from '../entities/photo.entity';
import { PhysicalDescription } from '../entities/physical-description.entity';
import { Workplace } from '../entities/workplace.entity';
import { type AuthorityComplianceView, type PersonMeasureView, toMeasureView } from '../measure.views';
import { OfficeReportingSchedule } from '../entities/office-reporting-schedule.entity';
import { descriptionView, dnaView } from '../person-details.service';
import { type PersonView, toPersonView } from '../person.views';
import { ChangeView } from '../change.view';
import { toPhotoView } from '../photos.service';
import { toWorkplaceView } from '../workplaces.service';
import { personNotFound, PersonAccess } from './person-access';
import type { PersonScope } from './person-scope';

type JsonRow = Record<string, unknown>;

/** What the person's statement returns: rows as PostgreSQL's JSON. */
interface PersonRow {
  person: JsonRow;
  addresses: JsonRow[] | null;
  workplace: JsonRow | null;
  description: JsonRow | null;
  dna: JsonRow | null;
  convictions: JsonRow[] | null;
  measures: JsonRow[] | null;
  /** The UIKS schedules of the measures. */
  uiks: JsonRow[] | null;
  /** Each reporting schedule's compliance, police first. */
  schedules:
    | {
        measure_id: string;
        authority: 'police' | 'uiks';
        office: string | null;
        status: AuthorityComplianceView['status'];
        next_due_at: string | null;
        last_check_in_at: string | null;
      }[]
    | null;
  photos: JsonRow[] | null;
  compliance: {
    status: ComplianceStatus;
    next_due_at: string | null;
    last_check_in_at: string | null;
    open_referral_ids: string[];
  };
}

export class HistoryItem extends ChangeView {
  @ApiProperty({ example: 'address' })
  part!: string;

  @ApiProperty({ format: 'uuid', example: 'c2f1a7d4-5b3e-4f6a-8d9c-1e2f3a4b5c6d' })
  partId!: string;
}

const HISTORY_PAGE_SIZE = 100;

const NEWEST_FIRST: KeysetColumn[] = [
  { sql: 'x.at', kind: 'time', desc: true },
  { sql: 'x.id', kind: 'uuid', desc: true },
];

/**
 * The person as shown, built by one statement: for the read (with its audit
 * event, in the same statement), and for the answers of writes that show a
 * person (in their transaction). Parts the caller may not see (the DNA
 * reference) are not selected at all.
 */
@Injectable()
export class PersonReadModel {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly records: RecordAccess,
    private readonly access: PersonAccess,
    private readonly log: AuditLog,
    private readonly config: AppConfig,
  ) {}

  /**
   * The hot path: the person with every part and the compliance, and the
   * audit event, in one statement. The caller's scope is in the SQL, so the
   * event's outcome (allowed, denied out of scope, error when absent) is
   * decided by the query that found the person.
   */
  async get(audit: RequestAudit, principal: Principal, id: string): Promise<PersonView> {
    audit.on('person', id);
    const withDna = this.records.ability(principal).can('read', 'DnaReference');
    const scope = positional(this.records.scope(principal, 'read', 'Person', { person: 'f' }), 3);
    const { outcome, answer } = await this.log.readWithEvent<PersonRow>(audit, {
      ctes: `found AS (SELECT * FROM persons WHERE id = $1),
             visible AS (SELECT f.* FROM found f WHERE ${scope.sql})`,
      params: [id, ...this.complianceRules(), ...scope.params],
      decide: {
        subjects: 'ARRAY(SELECT id FROM found)',
        outcome: `CASE WHEN EXISTS (SELECT 1 FROM visible) THEN 'allowed'
                       WHEN EXISTS (SELECT 1 FROM found) THEN 'denied' ELSE 'error' END`,
        status: 'CASE WHEN EXISTS (SELECT 1 FROM visible) THEN 200 ELSE 404 END',
        resultCount: 'SELECT count(*) FROM visible',
      },
      answer: `SELECT ${personJson('v', withDna)} FROM visible v`,
    });
    if (outcome !== 'allowed' || !answer) throw personNotFound();
    return this.viewOf(answer, withDna);
  }

  /** The person of `scope` as it is now in the write's transaction (the answer of a write). */
  async current(scope: PersonScope, principal: Principal): Promise<PersonView> {
    const withDna = this.records.ability(principal).can('read', 'DnaReference');
    const [{ answer }]: { answer: PersonRow }[] = await scope.manager.query(
      `SELECT ${personJson('v', withDna)} AS answer FROM persons v WHERE v.id = $1`,
      [scope.id, ...this.complianceRules()],
    );
    return this.viewOf(answer, withDna);
  }

  /** Every change to the person and its parts, newest first. */
  history(audit: RequestAudit, principal: Principal, id: string, page: PageQuery): Promise<Page<HistoryItem>> {
    audit.on('person', id).subject(id);
    return this.access.within(
      audit,
      principal,
      { action: 'read', on: 'PersonHistory', personId: id },
      async (person) => {
        // The history's pages are longer than other lists' (100 unless asked).
        const query = { limit: page.limit ?? HISTORY_PAGE_SIZE, cursor: page.cursor };
        const result = await person.page(PersonHistoryEntry, NEWEST_FIRST, query, (h) => ({
          at: h.at.toISOString(),
          actor: h.actor,
          reason: h.reason,
          change: h.change,
          part: h.part,
          partId: h.partId,
          before: h.before,
          after: h.after,
        }));
        audit.resultCount = result.items.length;
        return result;
      },
    );
  }

  /** $2, $3 of the statement: the compliance rules. */
  private complianceRules(): [number, number] {
    return [this.config.compliance.graceHours, this.config.compliance.dueSoonDays];
  }

  /** The measures, each with its UIKS schedule and each authority's compliance. */
  private measuresOf(row: PersonRow): PersonMeasureView[] {
    const manager = this.dataSource.manager;
    const uiks = new Map(
      fromJsonRows(manager, OfficeReportingSchedule, row.uiks).map((o) => [o.measureId, o] as const),
    );
    const at = (value: string | null) => (value ? new Date(value) : null);
    return (row.measures ?? []).map((raw) => {
      const m = fromJsonRow(manager, Measure, raw);
      return {
        ...toMeasureView(m, uiks.get(m.id) ?? null),
        acknowledged: raw.acknowledged === true,
        compliance: (row.schedules ?? [])
          .filter((s) => s.measure_id === m.id)
          .map((s) => ({
            authority: s.authority,
            office: s.office,
            status: s.status,
            nextDueAt: at(s.next_due_at),
            lastCheckInAt: at(s.last_check_in_at),
          })),
      };
    });
  }

  private viewOf(row: PersonRow, withDna: boolean): PersonView {
    const manager = this.dataSource.manager;
    const addresses = fromJsonRows(manager, Address, row.addresses);
    const current = (kind: string) => addresses.find((a) => a.kind === kind);
    const permanent = current('permanent');
    const temporary = current('temporary');
    const one = <E extends ObjectLiteral, V>(entity: EntityTarget<E>, value: JsonRow | null, view: (e: E) => V) =>
      value ? view(fromJsonRow(manager, entity, value)) : null;
    return toPersonView(fromJsonRow(manager, Person, row.person), {
      currentAddresses: {
        permanent: permanent ? toAddressView(permanent) : null,
        temporary: temporary ? toAddressView(temporary) : null,
      },
      currentWorkplace: one(Workplace, row.workplace, toWorkplaceView),
      physicalDescription: one(PhysicalDescription, row.description, descriptionView),
      ...(withDna ? { dnaReference: one(DnaReference, row.dna, dnaView) } : {}),
      convictions: fromJsonRows(manager, Conviction, row.convictions).map((c) =>
        toConvictionView(c, this.config.register.employmentBanYears),
      ),
      measures: this.measuresOf(row),
      photos: fromJsonRows(manager, Photo, row.photos).map(toPhotoView),
      compliance: {
        status: row.compliance.status,
        nextDueAt: row.compliance.next_due_at ? new Date(row.compliance.next_due_at) : null,
        lastCheckInAt: row.compliance.last_check_in_at ? new Date(row.compliance.last_check_in_at) : null,
        openReferralIds: row.compliance.open_referral_ids,
      },
    });
  }
}

/**
 * The person `v` with every part it shows and its compliance, as one JSON
 * object ($2, $3: the compliance rules). The DNA reference is selected only
 * for roles that may read it. Each measure says whether an acknowledgement
 * that stands (not voided) names it. The schedules' compliance and the
 * person's come from one call of `person_compliance_detail`.
 */
function personJson(v: string, withDna: boolean): string {
  // Compliance is computed once: the schedules' and the person's in one pass over the schedules.
  return `(SELECT json_build_object(
    'person', row_to_json(${v}),
    'addresses', (SELECT json_agg(a) FROM addresses a WHERE a.person_id = ${v}.id AND a.valid_to IS NULL),
    'workplace', (SELECT row_to_json(w) FROM workplaces w WHERE w.person_id = ${v}.id AND w.valid_to IS NULL),
    'description', (SELECT row_to_json(d) FROM physical_descriptions d WHERE d.person_id = ${v}.id),
    'dna', ${withDna ? `(SELECT row_to_json(r) FROM dna_references r WHERE r.person_id = ${v}.id)` : 'NULL'},
    'convictions', (SELECT json_agg(c ORDER BY c.judgment_date, c.id) FROM convictions c WHERE c.person_id = ${v}.id),
    'measures', (SELECT json_agg(m ORDER BY m.starts_on, m.id) FROM (
                   SELECT x.*, EXISTS (SELECT 1 FROM acknowledgements k
                                        WHERE k.person_id = x.person_id AND k.voided_at IS NULL
                                          AND x.id = ANY (k.measure_ids)) AS acknowledged
                     FROM measures x WHERE x.person_id = ${v}.id) m),
    'uiks', (SELECT json_agg(o) FROM office_reporting_schedules o WHERE o.person_id = ${v}.id),
    'schedules', k.schedules,
    'photos', (SELECT json_agg(x ORDER BY x.taken_at DESC, x.id DESC) FROM (
                 SELECT id, person_id, content_type, size_bytes, sha256, taken_at FROM photos
                  WHERE person_id = ${v}.id) x),
    'compliance', json_build_object('status', k.status, 'next_due_at', k.next_due_at,
                    'last_check_in_at', k.last_check_in_at, 'open_referral_ids', k.open_referral_ids))
    FROM person_compliance_detail(${v}.id, now(), $2, $3) k)`;
}
