import { Body, Controller, Param, Put, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { answerWith, ApiAnswer, OptionalIfMatchVersion, UUID_PARAM, VersionedETag } from '@app/common';
import { CurrentPrincipal, Permission, type Principal, RequiresReason } from '@app/authz';
import { Audited, AuditContext, type RequestAudit } from '@app/audit';
import { DnaReferenceDto, PhysicalDescriptionDto } from '../dto/details.dto';
import { DnaReferenceView, PersonDetailsService, PhysicalDescriptionView } from '../person-details.service';

const IF_MATCH = { name: 'If-Match', required: false, description: 'Required when replacing: the version you read' };

@ApiTags('register')
@Controller('persons/:id')
@RequiresReason()
export class PersonDetailsController {
  constructor(private readonly details: PersonDetailsService) {}

  @Put('dna-reference')
  @Permission('update', 'DnaReference')
  @Audited('dna_reference.put', { resource: 'dna_reference' })
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'Record (201) or replace (200, If-Match) the reference into the national DNA database' })
  @VersionedETag()
  @ApiAnswer(DnaReferenceView, { statuses: [200, 201] })
  async dnaReference(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @OptionalIfMatchVersion() version: number | null,
    @Body() body: DnaReferenceDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DnaReferenceView> {
    return answerWith(reply, await this.details.putDnaReference(audit, principal, id, body, version));
  }

  @Put('physical-description')
  @Permission('update', 'PhysicalDescription')
  @Audited('physical_description.put', { resource: 'physical_description' })
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'Record (201) or replace (200, If-Match) the physical description' })
  @VersionedETag()
  @ApiAnswer(PhysicalDescriptionView, { statuses: [200, 201] })
  async physicalDescription(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @OptionalIfMatchVersion() version: number | null,
    @Body() body: PhysicalDescriptionDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PhysicalDescriptionView> {
    return answerWith(reply, await this.details.putPhysicalDescription(audit, principal, id, body, version));
  }
}
