import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '@app/authz';
import { Audited, AuditContext, type RequestAudit } from '@app/audit';
import type { MEASURE_TYPES } from '../measure-types';
import { type ReferenceList, ReferenceService } from '../reference.service';

@ApiTags('reference')
@Controller('reference')
export class ReferenceController {
  constructor(private readonly reference: ReferenceService) {}

  @Get('police-administrations')
  @Authenticated()
  @Audited('reference.read', { resource: 'police_administration' })
  @ApiOperation({ summary: 'The 27 police administrations' })
  policeAdministrations(@AuditContext() audit: RequestAudit): Promise<ReferenceList<{ code: string; name: string }>> {
    return this.reference.policeAdministrations(audit);
  }

  @Get('offences')
  @Authenticated()
  @Audited('reference.read', { resource: 'offence' })
  @ApiOperation({ summary: 'Offences of the Criminal Code covered by the law' })
  offences(
    @AuditContext() audit: RequestAudit,
  ): Promise<ReferenceList<{ article: string; title: string; paragraphs: number[] }>> {
    return this.reference.offences(audit);
  }

  @Get('measure-types')
  @Authenticated()
  @Audited('reference.read', { resource: 'measure_type' })
  @ApiOperation({ summary: 'The five special measures' })
  measureTypes(@AuditContext() audit: RequestAudit): Promise<ReferenceList<(typeof MEASURE_TYPES)[number]>> {
    return this.reference.measureTypes(audit);
  }
}
