import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Authenticated } from '@app/authz';
import { Audited, AuditContext, AuditLog, type RequestAudit } from '@app/audit';
import { MEASURE_TYPES } from '../measure-types';

@ApiTags('reference')
@Controller('reference')
export class ReferenceController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: AuditLog,
  ) {}

  @Get('police-administrations')
  @Authenticated()
  @Audited('reference.read', { resource: 'police_administration' })
  @ApiOperation({ summary: 'The 27 police administrations' })
  policeAdministrations(@AuditContext() audit: RequestAudit): Promise<{ items: { code: string; name: string }[] }> {
    return this.log.transaction(audit, async (manager) => ({
      items: await manager.query(`SELECT code, name FROM police_administrations ORDER BY name`),
    }));
  }

  @Get('offences')
  @Authenticated()
  @Audited('reference.read', { resource: 'offence' })
  @ApiOperation({ summary: 'Offences of the Criminal Code covered by the law' })
  offences(
    @AuditContext() audit: RequestAudit,
  ): Promise<{ items: { article: string; title: string; paragraphs: number[] }[] }> {
    return this.log.transaction(audit, async (manager) => ({
      items: await manager.query(
        `SELECT article, title, paragraphs FROM offences ORDER BY (substring(article FROM '^[0-9]+'))::int, article`,
      ),
    }));
  }

  @Get('measure-types')
  @Authenticated()
  @Audited('reference.read', { resource: 'measure_type' })
  @ApiOperation({ summary: 'The five special measures' })
  measureTypes(@AuditContext() audit: RequestAudit): Promise<{ items: typeof MEASURE_TYPES }> {
    return this.log.transaction(audit, async () => ({ items: MEASURE_TYPES }));
  }
}
