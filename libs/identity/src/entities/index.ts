import { PoliceAdministration } from '../reference/police-administration.entity';
import { RefreshToken } from './refresh-token.entity';
import { Session } from './session.entity';
import { User } from './user.entity';

export { PoliceAdministration, RefreshToken, Session, User };
export const IDENTITY_ENTITIES = [PoliceAdministration, User, Session, RefreshToken];
