/** The roles of the register (CONTRACT "Roles"). The worker is no login and has no role here. */
export const ROLES = ['admin', 'registry_clerk', 'police_officer', 'judicial_officer', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Only police officers belong to one police administration. */
export function roleHasRegion(role: Role): boolean {
  return role === 'police_officer';
}
