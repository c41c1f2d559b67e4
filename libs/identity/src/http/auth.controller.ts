import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, type Principal, Public } from '@app/authz';
import { AuthService, type MeView } from '../auth.service';
import { ActivateMfaDto, ChangePasswordDto, EnrollMfaDto, LoginDto, RefreshDto } from '../dto/auth.dto';
import type { TokenPair } from '../views';

@ApiTags('identity')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in; 401 otp_required asks for the authenticator code' })
  login(@Body() body: LoginDto): Promise<TokenPair> {
    return this.auth.login(body.username, body.password, body.otp);
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'A new token pair; the refresh token used is spent (reuse ends the session)' })
  refresh(@Body() body: RefreshDto): Promise<TokenPair> {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('logout')
  @Authenticated({ withoutMfa: true, passwordChange: true })
  @HttpCode(204)
  @ApiOperation({ summary: 'End this session' })
  async logout(@CurrentPrincipal() principal: Principal): Promise<void> {
    await this.auth.logout(principal);
  }

  @Post('password')
  @Authenticated({ withoutMfa: true, passwordChange: true })
  @HttpCode(204)
  @ApiOperation({ summary: 'Change your password; every session of the account ends' })
  async changePassword(@CurrentPrincipal() principal: Principal, @Body() body: ChangePasswordDto): Promise<void> {
    await this.auth.changePassword(principal, body.currentPassword, body.newPassword);
  }

  @Get('me')
  @Authenticated({ withoutMfa: true })
  @ApiOperation({ summary: 'Your account and packed CASL rules' })
  me(@CurrentPrincipal() principal: Principal): Promise<MeView> {
    return this.auth.me(principal);
  }

  @Post('mfa/enroll')
  @Authenticated({ withoutMfa: true })
  @HttpCode(200)
  @ApiOperation({ summary: 'Start enrolling an authenticator (re-enrolling needs a current code)' })
  enroll(
    @CurrentPrincipal() principal: Principal,
    @Body() body: EnrollMfaDto,
  ): Promise<{ otpauthUrl: string; secret: string }> {
    return this.auth.enrollMfa(principal, body.otp);
  }

  @Post('mfa/activate')
  @Authenticated({ withoutMfa: true })
  @HttpCode(204)
  @ApiOperation({ summary: 'Activate the enrolled authenticator with a code from it' })
  async activate(@CurrentPrincipal() principal: Principal, @Body() body: ActivateMfaDto): Promise<void> {
    await this.auth.activateMfa(principal, body.otp);
  }
}
