import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { answerWith, ApiAnswer, ApiIfMatch, IfMatchVersion, UUID_PARAM, VersionedETag } from '@app/common';
import { CurrentPrincipal, Permission, type Principal, RequiresReason } from '@app/authz';
import { Audited, AuditContext, type RequestAudit } from '@app/audit';
import { ConvictionView } from '../convictions.service';
import { RecordReleaseDto } from '../dto/release.dto';
import { ReleasesService } from '../releases.service';

@ApiTags('register')
@Controller('persons/:id/releases')
@RequiresReason()
export class ReleasesController {
  constructor(private readonly releases: ReleasesService) {}

  @Post()
  @Permission('update', 'Conviction')
  @Audited('release.record', { resource: 'conviction' })
  @ApiIfMatch()
  @ApiOperation({
    summary:
      'Record the actual release from an imprisonment (If-Match: the conviction’s version): 201, or 200 when it corrects a recorded release; answers the conviction',
  })
  @VersionedETag()
  @ApiAnswer(ConvictionView)
  async record(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @IfMatchVersion() version: number,
    @Body() body: RecordReleaseDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ConvictionView> {
    return answerWith(reply, await this.releases.record(audit, principal, id, version, body));
  }
}
