import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiAnswer,
  ApiIfMatch,
  ApiPageAnswer,
  IfMatchVersion,
  type Page,
  PageQuery,
  UUID_PARAM,
  VersionedETag,
} from '@app/common';
import { CurrentPrincipal, Permission, type Principal, RequiresReason } from '@app/authz';
import { Audited, AuditContext, type RequestAudit } from '@app/audit';
import { CreateReferralDto, RecordReferralOutcomeDto } from '../dto/referral.dto';
import { ReferralView, ReferralsService } from '../referrals.service';

@ApiTags('register')
@Controller('persons/:id/referrals')
@RequiresReason()
export class ReferralsController {
  constructor(private readonly referrals: ReferralsService) {}

  @Post()
  @Permission('record', 'Referral')
  @Audited('referral.create', { resource: 'referral', flagged: true })
  @ApiOperation({
    summary: 'Refer breaches or unresolved alerts of the person to the public prosecutor (a flagged disclosure)',
    description:
      'Clerks, and police officers of the person’s region. At least one of alertIds, breachIds, each the ' +
      'person’s (else 400 naming the field); referredOn not in the future nor before an item (400); a resolved ' +
      'alert, a void breach, or an item already in a referral without an outcome: 409. The person is non_compliant until the ' +
      'outcome is recorded. The event names the office as its recipient.',
  })
  @ApiAnswer(ReferralView)
  record(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Body() body: CreateReferralDto,
  ): Promise<ReferralView> {
    return this.referrals.record(audit, principal, id, body);
  }

  @Get()
  @Permission('read', 'Referral')
  @Audited('referral.list', { resource: 'referral' })
  @ApiOperation({ summary: 'The person’s referrals to the prosecutor, newest first (voided ones included, marked)' })
  @ApiPageAnswer(ReferralView)
  list(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Query() query: PageQuery,
  ): Promise<Page<ReferralView>> {
    return this.referrals.list(audit, principal, id, query);
  }

  @Patch(':referralId')
  @Permission('record', 'Referral')
  @Audited('referral.outcome', { resource: 'referral' })
  @ApiIfMatch()
  @ApiOperation({
    summary: 'Record the outcome of a referral (If-Match: its version); its alerts still open are resolved',
    description:
      'caseNumber is required when charged or convicted, refused when dismissed; outcomeOn not in the future nor ' +
      'before the referral. A recorded outcome changes only by a correction (correction: true, registry clerks); ' +
      'otherwise 409. A void referral: 409.',
  })
  @VersionedETag()
  @ApiAnswer(ReferralView)
  async recordOutcome(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Param('referralId', UUID_PARAM) referralId: string,
    @IfMatchVersion() version: number,
    @Body() body: RecordReferralOutcomeDto,
  ): Promise<ReferralView> {
    const referral = await this.referrals.recordOutcome(audit, principal, id, referralId, version, body);
    return referral;
  }

  @Post(':referralId/void')
  @HttpCode(200)
  @Permission('void', 'Referral')
  @Audited('referral.void', { resource: 'referral' })
  @ApiOperation({ summary: 'Void a referral recorded by mistake (clerks; the access reason is kept as the reason)' })
  @ApiAnswer(ReferralView)
  void(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Param('referralId', UUID_PARAM) referralId: string,
  ): Promise<ReferralView> {
    return this.referrals.void(audit, principal, id, referralId);
  }
}
