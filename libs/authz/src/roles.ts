/**
 * The roles of the register (CONTRACT "Roles"), and `vetting_officer`: a UIKS
 * clerk who answers employers' vetting requests and reaches nothing else.
 * The worker is no login and has no role here.
 */
export const ROLES = [
  'admin',
  'registry_clerk',
  'police_officer',
  'judicial_officer',
  'auditor',
  'vetting_officer',
] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Only police officers belong to one police administration. */
export function roleHasRegion(role: Role): boolean {
  return role === 'police_officer';
}
