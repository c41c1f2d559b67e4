import { createMongoAbility, type MongoAbility, type RawRuleOf } from '@casl/ability';
import { type PackRule, unpackRules } from '@casl/ability/extra';

export type Ability = MongoAbility;

/** The caller's rules from `GET /auth/me` (packed); the UI hides what they forbid, the server still decides. */
export function abilityFrom(packed: unknown[]): Ability {
  return createMongoAbility(unpackRules(packed as PackRule<RawRuleOf<Ability>>[]));
}
