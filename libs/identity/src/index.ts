import { AuthController } from './http/auth.controller';
import { JwksController } from './http/jwks.controller';
import { UsersController } from './http/users.controller';

export * from './auth.service';
export * from './entities';
export * from './entities/session.entity';
export * from './identity.module';
export * from './password/password-hasher';
export * from './password/password-policy';
export * from './secrets/identity-secrets';
export * from './users.service';
export * from './views';

/** Registered by the api only. */
export const IDENTITY_CONTROLLERS = [AuthController, UsersController, JwksController];
export * from './demo-accounts';
