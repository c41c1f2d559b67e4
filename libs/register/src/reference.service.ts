import { Injectable } from '@nestjs/common';
import { AuditLog, type RequestAudit } from '@app/audit';
import { MEASURE_TYPES } from './measure-types';

export interface ReferenceList<T> {
  items: T[];
}

/** The register's reference data: police administrations, offences, measure types. */
@Injectable()
export class ReferenceService {
  constructor(private readonly log: AuditLog) {}

  policeAdministrations(audit: RequestAudit): Promise<ReferenceList<{ code: string; name: string }>> {
    return this.log.transaction(audit, async (manager) => ({
      items: await manager.query(`SELECT code, name FROM police_administrations ORDER BY name`),
    }));
  }

  offences(audit: RequestAudit): Promise<ReferenceList<{ article: string; title: string; paragraphs: number[] }>> {
    return this.log.transaction(audit, async (manager) => ({
      items: await manager.query(
        `SELECT article, title, paragraphs FROM offences ORDER BY (substring(article FROM '^[0-9]+'))::int, article`,
      ),
    }));
  }

  measureTypes(audit: RequestAudit): Promise<ReferenceList<(typeof MEASURE_TYPES)[number]>> {
    return this.log.transaction(audit, async () => ({ items: [...MEASURE_TYPES] }));
  }
}
