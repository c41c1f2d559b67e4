import { COMPLIANCE_ENTITIES } from '@app/compliance';
import { IDENTITY_ENTITIES } from '@app/identity';
import { REGISTER_ENTITIES } from '@app/register';

/**
 * Every entity of the register, from every library. The data source, the
 * migration drift check and the tests all read this one list.
 */
export const ENTITIES: Function[] = [...IDENTITY_ENTITIES, ...REGISTER_ENTITIES, ...COMPLIANCE_ENTITIES];
