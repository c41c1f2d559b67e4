import { createContext, type ReactNode, useContext } from 'react';
import type { ApiClient } from '../api/client';
import type { Me } from '../types';
import { abilityFrom, type Ability } from './ability';

export type { Me };

export interface Session {
  api: ApiClient;
  me: Me;
  ability: Ability;
  signOut: () => void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ value, children }: { value: Session; children: ReactNode }) {
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in console');
  return session;
}

export function sessionOf(api: ApiClient, me: Me, signOut: () => void): Session {
  return { api, me, ability: abilityFrom(me.permissions), signOut };
}

/** Shows its children only when the rules allow `action` on `subject`. */
export function Can({ I, a, children }: { I: string; a: string; children: ReactNode }) {
  const { ability } = useSession();
  return ability.can(I, a) ? <>{children}</> : null;
}
