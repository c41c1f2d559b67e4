import { createHmac, randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { type AppConfig, ConfigError, keptInDataDir, symmetricKeyFromFile } from '@app/common';
import type { IdDocumentType } from '../entities/person.entity';

/** What identifies a vetting candidate: a JMBG, or an identity document. */
export type CandidateIdentifier =
  { kind: 'jmbg'; jmbg: string } | { kind: 'document'; type: IdDocumentType; number: string; country: string };

/**
 * The key of the candidates' identifiers as kept in `vetting_requests`: an
 * HMAC, so the same candidate asked about twice shows, and the JMBG does not
 * (without the key, a hash of a JMBG falls to trying the few thousand JMBGs
 * of one birth date).
 */
export class VettingKeys {
  constructor(private readonly hashKey: Buffer) {}

  hashIdentifier(identifier: CandidateIdentifier): string {
    const text =
      identifier.kind === 'jmbg'
        ? `jmbg:${identifier.jmbg}`
        : `document:${identifier.type}:${identifier.country}:${identifier.number.toUpperCase()}`;
    return `hmac:${createHmac('sha256', this.hashKey).update(text).digest('base64url')}`;
  }
}

/** Like the audit log's keys: in memory for tests, generated once in DATA_DIR/secrets locally, a file in production. */
export async function loadVettingKeys(config: AppConfig): Promise<VettingKeys> {
  const { secrets } = config;
  switch (secrets.source) {
    case 'memory':
      return new VettingKeys(randomBytes(32));
    case 'data-dir': {
      const file = path.join(secrets.dataDir, 'secrets', 'vetting-hash.key');
      const key = await keptInDataDir(file, () => randomBytes(32).toString('base64'));
      return new VettingKeys(Buffer.from(key.trim(), 'base64'));
    }
    case 'files':
      if (!secrets.vettingHashKeyFile) {
        throw new ConfigError('VETTING_HASH_KEY_FILE', 'is required (a file with 32 random bytes, base64)');
      }
      return new VettingKeys(await symmetricKeyFromFile('VETTING_HASH_KEY_FILE', secrets.vettingHashKeyFile));
  }
}
