import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer } from '@app/common';
import { Audited, AuditContext, type RequestAudit } from '@app/audit';
import { Authenticated, CurrentPrincipal, type Principal, Public } from '@app/authz';
import { AuthService, MeView, MfaEnrolment } from '../auth.service';
import { ActivateMfaDto, ChangePasswordDto, EnrollMfaDto, LoginDto, RefreshDto } from '../dto/auth.dto';
import { TokenPair } from '../views';

@ApiTags('identity')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @Audited('auth.login', { resource: 'user' })
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in; 401 otp_required asks for the authenticator code' })
  @ApiAnswer(TokenPair)
  login(@AuditContext() audit: RequestAudit, @Body() body: LoginDto): Promise<TokenPair> {
    return this.auth.login(audit, body.username, body.password, body.otp);
  }

  @Post('refresh')
  @Public()
  @Audited('auth.refresh', { resource: 'session' })
  @HttpCode(200)
  @ApiOperation({ summary: 'A new token pair; the refresh token used is spent (reuse ends the session)' })
  @ApiAnswer(TokenPair)
  refresh(@AuditContext() audit: RequestAudit, @Body() body: RefreshDto): Promise<TokenPair> {
    return this.auth.refresh(audit, body.refreshToken);
  }

  @Post('logout')
  @Authenticated({ withoutMfa: true, passwordChange: true })
  @Audited('auth.logout', { resource: 'session' })
  @HttpCode(204)
  @ApiOperation({ summary: 'End this session' })
  async logout(@AuditContext() audit: RequestAudit, @CurrentPrincipal() principal: Principal): Promise<void> {
    await this.auth.logout(audit, principal);
  }

  @Post('password')
  @Authenticated({ withoutMfa: true, passwordChange: true })
  @Audited('auth.password_change', { resource: 'user' })
  @HttpCode(204)
  @ApiOperation({ summary: 'Change your password; every session of the account ends' })
  async changePassword(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Body() body: ChangePasswordDto,
  ): Promise<void> {
    await this.auth.changePassword(audit, principal, body.currentPassword, body.newPassword);
  }

  @Get('me')
  @Authenticated({ withoutMfa: true })
  @Audited('auth.me', { resource: 'user' })
  @ApiOperation({ summary: 'Your account and packed CASL rules' })
  @ApiAnswer(MeView)
  me(@AuditContext() audit: RequestAudit, @CurrentPrincipal() principal: Principal): Promise<MeView> {
    return this.auth.me(audit, principal);
  }

  @Post('mfa/enroll')
  @Authenticated({ withoutMfa: true })
  @Audited('auth.mfa_enroll', { resource: 'user' })
  @HttpCode(200)
  @ApiOperation({ summary: 'Start enrolling an authenticator (re-enrolling needs a current code)' })
  @ApiAnswer(MfaEnrolment)
  enroll(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Body() body: EnrollMfaDto,
  ): Promise<{ otpauthUrl: string; secret: string }> {
    return this.auth.enrollMfa(audit, principal, body.otp);
  }

  @Post('mfa/activate')
  @Authenticated({ withoutMfa: true })
  @Audited('auth.mfa_activate', { resource: 'user' })
  @HttpCode(204)
  @ApiOperation({ summary: 'Activate the enrolled authenticator with a code from it' })
  async activate(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Body() body: ActivateMfaDto,
  ): Promise<void> {
    await this.auth.activateMfa(audit, principal, body.otp);
  }
}
