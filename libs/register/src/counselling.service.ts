import { Injectable } from '@nestjs/common';
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

export interface CounsellingView {
  id: string;
  measureId: string;
  attendedOn: string;
  institution: string;
  recordedBy: string;
  createdAt: Date;
  version: number;
}

const toCounsellingView = (c: CounsellingAttendance): CounsellingView => ({
  id: c.id,
  measureId: c.measureId,
  attendedOn: c.attendedOn,
  institution: c.institution,
  recordedBy: c.recordedBy,
  createdAt: c.createdAt,
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

/** Attendance at counselling under a counselling measure: recorded, corrected, listed. */
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

  /** A clerk's correction of a counselling attendance (If-Match: its version). */
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
