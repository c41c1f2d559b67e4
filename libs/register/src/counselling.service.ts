import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { belgradeToday, DomainError, isRealDate, type Page, type PageQuery } from '@app/common';
import type { Principal } from '@app/authz';
import type { RequestAudit } from '@app/audit';
import { PersonAccess } from './access/person-access';
import type { PersonScope } from './access/person-scope';
import type { CreateCounsellingDto, UpdateCounsellingDto } from './dto/acts.dto';
import { CounsellingAttendance } from './entities/counselling-attendance.entity';
import { CounsellingInstitution } from './entities/counselling-institution.entity';
import type { Measure } from './entities/measure.entity';
import { measureOf, newestBy, ofType } from './measure-acts.service';
import { VoidableView } from './voidable.view';

export class CounsellingView extends VoidableView {
  @ApiProperty({ format: 'uuid', example: 'c2f1a7d4-5b3e-4f6a-8d9c-1e2f3a4b5c6d' })
  id!: string;

  @ApiProperty({ format: 'uuid', example: '0b9b7f0e-3c1d-4b8a-9f3e-6a1c2d3e4f50' })
  measureId!: string;

  @ApiProperty({ format: 'date', example: '2026-02-16' })
  attendedOn!: string;

  @ApiProperty({ example: 'CSR-NIS' })
  institution!: string;

  @ApiProperty({ format: 'uuid', example: '5d6e7f80-1a2b-4c3d-8e4f-9a0b1c2d3e4f' })
  recordedBy!: string;

  @ApiProperty({ example: '2026-02-16T12:00:00.000Z' })
  createdAt!: Date;
}

const toCounsellingView = (c: CounsellingAttendance): CounsellingView => ({
  id: c.id,
  measureId: c.measureId,
  attendedOn: c.attendedOn,
  institution: c.institution,
  recordedBy: c.recordedBy,
  createdAt: c.createdAt,
  voidedAt: c.voidedAt,
  voidedBy: c.voidedBy,
  voidReason: c.voidReason,
  version: c.version,
});

/** The name of the institution a counselling measure names: an attendance's institution when it gives none. */
async function institutionOf(person: PersonScope, measure: Measure): Promise<string> {
  const institution = measure.counsellingInstitution
    ? await person.manager.getRepository(CounsellingInstitution).findOneBy({ code: measure.counsellingInstitution })
    : null;
  if (!institution) {
    throw DomainError.validation([{ field: 'institution', message: 'is required: the measure names no institution' }]);
  }
  return institution.name;
}

function assertAttendedOn(attendedOn: string): void {
  if (!isRealDate(attendedOn)) throw DomainError.validation([{ field: 'attendedOn', message: 'is not a real date' }]);
  if (attendedOn > belgradeToday()) {
    throw DomainError.validation([{ field: 'attendedOn', message: 'must not be in the future' }]);
  }
}

/** Attendance at counselling under a counselling measure: recorded, corrected, voided, listed. */
@Injectable()
export class CounsellingService {
  constructor(private readonly access: PersonAccess) {}

  counselling(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    input: CreateCounsellingDto,
  ): Promise<CounsellingView> {
    audit.on('counselling').subject(personId);
    return this.access.within(
      audit,
      principal,
      { action: 'record', on: 'Counselling', personId, lock: true },
      async (person) => {
        assertAttendedOn(input.attendedOn);
        const measure = await measureOf(person, input.measureId, ofType('counselling', input.attendedOn));
        return person.create(
          CounsellingAttendance,
          'counselling',
          {
            measureId: input.measureId,
            attendedOn: input.attendedOn,
            institution: input.institution ?? (await institutionOf(person, measure)),
            recordedBy: principal.userId,
          },
          toCounsellingView,
        );
      },
    );
  }

  /** A clerk's correction of a counselling attendance (If-Match: its version); a void one: 409. */
  correctCounselling(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    attendanceId: string,
    version: number,
    changes: UpdateCounsellingDto,
  ): Promise<CounsellingView> {
    audit.on('counselling', attendanceId).subject(personId);
    const part = { entity: CounsellingAttendance, id: attendanceId, absent: 'No such counselling.' };
    return this.access.within(
      audit,
      principal,
      { action: 'update', on: 'Counselling', personId, part, lock: true },
      (person) =>
        person.change({
          entity: CounsellingAttendance,
          part: 'counselling',
          version,
          view: toCounsellingView,
          apply: async (attendance) => {
            if (changes.institution !== undefined) attendance.institution = changes.institution;
            if (changes.attendedOn !== undefined) {
              assertAttendedOn(changes.attendedOn);
              await measureOf(person, attendance.measureId, ofType('counselling', changes.attendedOn));
              attendance.attendedOn = changes.attendedOn;
            }
          },
        }),
    );
  }

  /**
   * A clerk voids an attendance recorded by mistake; the reason is the
   * request's access reason. It no longer counts for the schedule.
   */
  void(audit: RequestAudit, principal: Principal, personId: string, id: string): Promise<CounsellingView> {
    return this.access.voidPart(
      audit,
      principal,
      {
        on: 'Counselling',
        entity: CounsellingAttendance,
        part: 'counselling',
        absent: 'No such counselling.',
        personId,
        id,
      },
      toCounsellingView,
    );
  }

  counsellingAttendances(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    page: PageQuery,
  ): Promise<Page<CounsellingView>> {
    return this.access.list(audit, principal, 'counselling', { on: 'Counselling', personId }, (person) =>
      person.page(CounsellingAttendance, newestBy('attended_on', 'date'), page, toCounsellingView),
    );
  }
}
