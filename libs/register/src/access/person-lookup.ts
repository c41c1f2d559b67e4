import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { belgradeToday } from '@app/common';
import { AuditLog, type RequestAudit, UsageQuotas } from '@app/audit';

export class LookupAnswer {
  @ApiProperty({ example: true })
  registered!: boolean;

  @ApiProperty({ type: [String], example: ['ban_places_with_minors', 'periodic_reporting'] })
  activeMeasures!: string[];

  @ApiProperty({ example: true })
  banPlacesWithMinors!: boolean;
}

/**
 * The cross-region lookup (officers, any region): only whether a JMBG is
 * registered and which measures are in force. The route's permission
 * (`lookup`, granted without conditions) is the whole rule; always a flagged
 * event naming the person found. Every JMBG of one birth date is a few
 * hundred lookups, so each user has an hourly quota (LOOKUP_QUOTA_PER_HOUR),
 * and auditors are alerted past LOOKUP_ALERT_THRESHOLD (UsageQuotas).
 */
@Injectable()
export class PersonLookup {
  constructor(
    private readonly log: AuditLog,
    private readonly quotas: UsageQuotas,
  ) {}

  lookup(audit: RequestAudit, jmbg: string): Promise<LookupAnswer> {
    audit.on('person');
    audit.flagged = true;
    return this.log.transaction(audit, async (manager) => {
      await this.quotas.use(manager, audit, 'person_lookup');
      const rows: { id: string; types: string[] }[] = await manager.query(
        `SELECT p.id, ARRAY(SELECT DISTINCT m.type FROM measures m
                             WHERE m.person_id = p.id AND m.status = 'active' AND m.starts_on <= $2 AND m.ends_on >= $2
                             ORDER BY m.type) AS types
           FROM persons p WHERE p.jmbg = $1`,
        [jmbg, belgradeToday()],
      );
      audit.resultCount = rows.length;
      if (rows.length === 0) return { registered: false, activeMeasures: [], banPlacesWithMinors: false };
      const [{ id, types }] = rows;
      audit.on('person', id).subject(id);
      return { registered: true, activeMeasures: types, banPlacesWithMinors: types.includes('ban_places_with_minors') };
    });
  }
}

/**
 * Which of `jmbgs` are on file: for the embedded database's demo seeding at
 * start-up only (no caller, nothing read but whether the numbers exist), so
 * a later start adds no demo person twice.
 */
export async function jmbgsOnFile(dataSource: DataSource, jmbgs: readonly string[]): Promise<Set<string>> {
  const rows = await dataSource.query<{ jmbg: string }[]>(`SELECT jmbg FROM persons WHERE jmbg = ANY($1::text[])`, [
    jmbgs,
  ]);
  return new Set(rows.map((row) => row.jmbg));
}
