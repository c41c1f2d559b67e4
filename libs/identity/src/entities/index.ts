import { PoliceAdministration } from '../reference/police-administration.entity';
import { UiksOffice } from '../reference/uiks-office.entity';
import { RefreshToken } from './refresh-token.entity';
import { RoleChange } from './role-change.entity';
import { Session } from './session.entity';
import { User } from './user.entity';

export { PoliceAdministration, UiksOffice, RefreshToken, RoleChange, Session, User };
export const IDENTITY_ENTITIES = [PoliceAdministration, UiksOffice, User, Session, RefreshToken, RoleChange];
