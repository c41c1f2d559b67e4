import { Body, Controller, Get, Header, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiAnswer, ApiFileAnswer, ApiPageAnswer, type Page, UUID_PARAM } from '@app/common';
import { CurrentPrincipal, Permission, type Principal, Public } from '@app/authz';
import { Audited, AuditContext, type RequestAudit } from '@app/audit';
import { CreateVettingRequestDto, VettingVolumeQuery } from '../dto/vetting.dto';
import { CertificateCheck, VettingAnswer, VettingService, VettingVolumeItem } from '../vetting/vetting.service';

@ApiTags('vetting')
@Controller('vetting-requests')
export class VettingRequestsController {
  constructor(private readonly vetting: VettingService) {}

  @Post()
  @Permission('create', 'VettingRequest')
  @Audited('vetting.request', { resource: 'vetting_request', flagged: true })
  @ApiOperation({
    summary:
      "An employer's vetting request: barred or not on the issue day, and a certificate number (a flagged disclosure to the employer)",
  })
  @ApiAnswer(VettingAnswer)
  request(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateVettingRequestDto,
  ): Promise<VettingAnswer> {
    return this.vetting.request(audit, principal, body);
  }

  @Get('volume')
  @Permission('read', 'VettingVolume')
  @Audited('vetting.volume', { resource: 'vetting_volume' })
  @ApiOperation({ summary: 'Vetting requests per employer per day, newest first (auditors)' })
  @ApiPageAnswer(VettingVolumeItem)
  volume(@AuditContext() audit: RequestAudit, @Query() query: VettingVolumeQuery): Promise<Page<VettingVolumeItem>> {
    return this.vetting.volume(audit, query);
  }

  @Get(':id/certificate')
  @Permission('read', 'VettingRequest')
  @Audited('vetting.certificate', { resource: 'vetting_request' })
  @Header('Cache-Control', 'no-store')
  @Header('X-Content-Type-Options', 'nosniff')
  @ApiProduces('application/pdf')
  @ApiFileAnswer(['application/pdf'], 'The certificate (PDF) with a QR code of its verification address')
  @ApiOperation({ summary: "The request's certificate as a PDF download; never cached" })
  async certificate(
    @AuditContext() audit: RequestAudit,
    @Param('id', UUID_PARAM) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const { fileName, data } = await this.vetting.certificate(audit, id);
    reply.header('content-type', 'application/pdf');
    reply.header('content-disposition', `attachment; filename="${fileName}"`);
    return data;
  }
}

@ApiTags('vetting')
@Controller('vetting')
export class VettingVerificationController {
  constructor(private readonly vetting: VettingService) {}

  @Get('verify/:certificateNumber')
  @Public()
  @Audited('vetting.verify', { resource: 'vetting_certificate' })
  @ApiOperation({
    summary:
      'Anyone: whether a certificate is valid, its date and answer; 404 for any other number (own rate limit per address)',
  })
  @ApiAnswer(CertificateCheck)
  verify(
    @AuditContext() audit: RequestAudit,
    @Param('certificateNumber') certificateNumber: string,
  ): Promise<CertificateCheck> {
    return this.vetting.verify(audit, certificateNumber);
  }
}
