import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@app/audit';
import { AuthzModule } from '@app/authz';
import { AppConfig, CommonModule } from '@app/common';
import { AuthService } from './auth.service';
import { IDENTITY_ENTITIES } from './entities';
import { PasswordHasher } from './password/password-hasher';
import { IdentitySecrets, loadIdentitySecrets } from './secrets/identity-secrets';
import { Sessions } from './sessions';
import { SignInAttempts } from './sign-in-attempts';
import { AccessTokens } from './tokens/access-tokens';
import { JwtStrategy } from './tokens/jwt.strategy';
import { RevokedSessions } from './tokens/revoked-sessions';
import { AccountChanges } from './account-changes';
import { AccountWrites } from './account-writes';
import { UsersService } from './users.service';

/** Accounts, sign-in, tokens and sessions. The api adds the controllers (IDENTITY_CONTROLLERS). */
@Module({
  imports: [PassportModule, TypeOrmModule.forFeature(IDENTITY_ENTITIES), CommonModule, AuthzModule, AuditModule],
  providers: [
    { provide: IdentitySecrets, inject: [AppConfig], useFactory: loadIdentitySecrets },
    { provide: PasswordHasher, useFactory: () => new PasswordHasher() },
    AccessTokens,
    RevokedSessions,
    Sessions,
    SignInAttempts,
    JwtStrategy,
    AuthService,
    AccountWrites,
    AccountChanges,
    UsersService,
  ],
  exports: [AuthService, UsersService, AccountChanges, IdentitySecrets, RevokedSessions],
})
export class IdentityModule {}
