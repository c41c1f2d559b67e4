import { COMPLIANCE_ENTITIES } from '@app/compliance';
import { IDENTITY_ENTITIES } from '@app/identity';
import { REGISTER_ENTITIES } from '@app/register';

/**
 * Every entity of the register, from each library's public entry: what the
 * migrations must describe. The drift check, `migration:generate`, the
 * TypeORM CLI's data source and the tests read this list; the running apps
 * load the entities of the modules they import instead. It lives here,
 * above the libraries, so that `libs/db` depends on no domain.
 */
export const ENTITIES: Function[] = [...IDENTITY_ENTITIES, ...REGISTER_ENTITIES, ...COMPLIANCE_ENTITIES];
