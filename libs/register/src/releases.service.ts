import { Injectable } from '@nestjs/common';
import { Answer, belgradeToday, DomainError, isRealDate } from '@app/common';
import type { Principal } from '@app/authz';
import type { RequestAudit } from '@app/audit';
import { PersonAccess } from './access/person-access';
import { ConvictionsService, type ConvictionView } from './convictions.service';
import type { RecordReleaseDto } from './dto/release.dto';
import { Conviction } from './entities/conviction.entity';

/**
 * Releases from imprisonment: the clerk records the actual release on the
 * conviction (a change of it, with history); a correction is the same
 * request again at the conviction's new version.
 */
@Injectable()
export class ReleasesService {
  constructor(
    private readonly access: PersonAccess,
    private readonly convictions: ConvictionsService,
  ) {}

  /** 201 when the release is first recorded, 200 when it corrects one. */
  record(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    version: number,
    input: RecordReleaseDto,
  ): Promise<Answer<ConvictionView>> {
    audit.on('conviction', input.convictionId).subject(personId);
    if (!isRealDate(input.releasedOn)) {
      throw DomainError.validation([{ field: 'releasedOn', message: 'is not a real date' }]);
    }
    if (input.releasedOn > belgradeToday()) {
      throw DomainError.validation([{ field: 'releasedOn', message: 'must not be in the future' }]);
    }
    const part = { entity: Conviction, id: input.convictionId, absent: 'No such conviction.' };
    return this.access.within(
      audit,
      principal,
      { action: 'update', on: 'Conviction', personId, part, lock: true },
      async (person) => {
        let first = false;
        const view = await person.change({
          entity: Conviction,
          part: 'conviction',
          version,
          change: 'release',
          view: (row) => this.convictions.view(row),
          apply: (conviction) => {
            if (conviction.sentenceKind !== 'imprisonment') {
              throw DomainError.validation([{ field: 'convictionId', message: 'is not a conviction to imprisonment' }]);
            }
            const custodyFrom = conviction.custodyFrom ?? conviction.finalityDate;
            if (input.releasedOn < custodyFrom) {
              throw DomainError.validation([
                { field: 'releasedOn', message: `must not be before custody began (${custodyFrom})` },
              ]);
            }
            first = conviction.releasedOn === null;
            conviction.releasedOn = input.releasedOn;
            conviction.releaseFacility = input.facility;
          },
        });
        return new Answer(view, first ? 201 : 200);
      },
    );
  }
}
