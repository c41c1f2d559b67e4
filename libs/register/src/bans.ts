import { ApiProperty } from '@nestjs/swagger';
import { addDays, belgradeToday } from '@app/common';
import type { PersonScope } from './access/person-scope';
import { toConvictionView } from './convictions.service';
import { Conviction } from './entities/conviction.entity';
import { Measure } from './entities/measure.entity';
import type { Workplace } from './entities/workplace.entity';

/** A ban of the person's convictions that a workplace runs into. */
export class BanWarning {
  @ApiProperty({ enum: ['prohibited_employment'], example: 'prohibited_employment' })
  kind!: 'prohibited_employment';

  @ApiProperty({
    enum: ['ban_on_employment_with_minors', 'ban_on_public_office'],
    example: 'ban_on_employment_with_minors',
  })
  ban!: 'ban_on_employment_with_minors' | 'ban_on_public_office';

  /** The day the ban was checked on: the workplace's validFrom or today, whichever is later. */
  @ApiProperty({ format: 'date', example: '2026-02-01' })
  on!: string;

  /** The first day free of the ban, when known. */
  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2046-02-10' })
  until!: string | null;
}

/**
 * The bans that a workplace runs into on the day it is checked (its
 * validFrom, or today when it began earlier):
 * - work with minors (`involvesMinors`) during the ban on employment with
 *   minors: from a conviction's finality until `until` of its legal
 *   consequence (EMPLOYMENT_BAN_YEARS after the release that counts, prison
 *   time not counted); with no release known yet, the ban lasts (its years
 *   have not begun to run);
 * - a public office (`publicOffice`) during the ban on acquiring public
 *   office: the law gives it no period, so it lasts while any of the
 *   person's measures is in force (not ended, the day within its term);
 *   `until` is the day after the last such measure ends.
 */
export async function bansOn(
  person: PersonScope,
  workplace: Pick<Workplace, 'involvesMinors' | 'publicOffice' | 'validFrom'>,
  employmentBanYears: number,
): Promise<BanWarning[]> {
  const today = belgradeToday();
  const on = workplace.validFrom > today ? workplace.validFrom : today;
  const warnings: BanWarning[] = [];
  if (workplace.involvesMinors) {
    const lasting = (await person.all(Conviction, { finalityDate: 'ASC', id: 'ASC' }))
      .filter((c) => c.finalityDate <= on)
      .map((c) => toConvictionView(c, employmentBanYears).legalConsequences)
      .flatMap((consequences) => consequences.filter((k) => k.kind === 'ban_on_employment_with_minors'))
      .filter((ban) => ban.until === null || on < ban.until);
    if (lasting.length > 0) {
      const open = lasting.some((ban) => ban.until === null);
      const until = open ? null : lasting.map((ban) => ban.until as string).sort()[lasting.length - 1];
      warnings.push({ kind: 'prohibited_employment', ban: 'ban_on_employment_with_minors', on, until });
    }
  }
  if (workplace.publicOffice) {
    const inForce = (await person.all(Measure, { endsOn: 'DESC', id: 'ASC' })).filter(
      (m) => m.status !== 'ended' && m.startsOn <= on && on <= m.endsOn,
    );
    if (inForce.length > 0) {
      const [last] = inForce;
      warnings.push({ kind: 'prohibited_employment', ban: 'ban_on_public_office', on, until: addDays(last.endsOn, 1) });
    }
  }
  return warnings;
}
