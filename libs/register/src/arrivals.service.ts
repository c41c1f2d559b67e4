import { Injectable } from '@nestjs/common';
import { addDays, belgradeToday, DomainError, type FieldError, isRealDate, type Page } from '@app/common';
import type { Principal } from '@app/authz';
import type { RequestAudit } from '@app/audit';
import { PoliceAdministration } from '@app/identity';
import { PersonAccess } from './access/person-access';
import type { CreateArrivalDto } from './dto/arrival.dto';
import { type ArrivalView, toArrivalView } from './arrival.views';
import { Arrival } from './entities/arrival.entity';

/** How long an announcement may stay open. */
export const ARRIVAL_MAX_DAYS = 90;

/**
 * A person announced as arriving in another administration, by a clerk or
 * an officer of the administration the person is in: the consent that lets
 * the arriving administration's officers record the new address there.
 */
@Injectable()
export class ArrivalsService {
  constructor(private readonly access: PersonAccess) {}

  announce(audit: RequestAudit, principal: Principal, personId: string, input: CreateArrivalDto): Promise<ArrivalView> {
    audit.on('arrival').subject(personId);
    return this.access.within(
      audit,
      principal,
      { action: 'create', on: 'Arrival', personId, lock: true },
      async (person) => {
        const errors: FieldError[] = [];
        if (
          !(await person.manager.getRepository(PoliceAdministration).existsBy({ code: input.policeAdministration }))
        ) {
          errors.push({ field: 'policeAdministration', message: 'is not a known police administration code' });
        }
        const today = belgradeToday();
        if (!isRealDate(input.validUntil)) errors.push({ field: 'validUntil', message: 'is not a real date' });
        else if (input.validUntil < today || input.validUntil > addDays(today, ARRIVAL_MAX_DAYS)) {
          errors.push({ field: 'validUntil', message: `must be from today to ${ARRIVAL_MAX_DAYS} days ahead` });
        }
        if (errors.length > 0) throw DomainError.validation(errors);
        return person.create(
          Arrival,
          'arrival',
          {
            policeAdministration: input.policeAdministration,
            validUntil: input.validUntil,
            announcedBy: principal.userId,
            closedAt: null,
            recordedAddressId: null,
          },
          toArrivalView,
        );
      },
    );
  }

  list(audit: RequestAudit, principal: Principal, personId: string): Promise<Page<ArrivalView>> {
    return this.access.list(audit, principal, 'arrival', { on: 'Arrival', personId }, async (person) =>
      (await person.all(Arrival, { announcedAt: 'DESC', id: 'DESC' })).map(toArrivalView),
    );
  }
}
