import {
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
  verify,
} from 'node:crypto';
import * as path from 'node:path';
import {
  type AppConfig,
  ConfigError,
  keptInDataDir,
  privateKeyFromFile,
  publicKeyFromFile,
  symmetricKeyFromFile,
} from '@app/common';

interface SealingKey {
  keyId: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** Key id of an Ed25519 public key: SHA-256 of its raw bytes, base64url. */
export function sealingKeyId(publicKey: KeyObject): string {
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  return createHash('sha256').update(raw).digest('base64url');
}

function assertEd25519(key: KeyObject, variable: string): void {
  if (key.asymmetricKeyType !== 'ed25519') throw new ConfigError(variable, 'must name a PEM file with an Ed25519 key');
}

/**
 * The audit log's own keys, never those of the access tokens: an Ed25519
 * key that signs seals and checkpoints (older public keys still verify),
 * and an HMAC key for the usernames of failed sign-ins that name no account.
 */
export class AuditKeys {
  constructor(
    private readonly signing: SealingKey,
    private readonly older: { keyId: string; publicKey: KeyObject }[],
    private readonly hashKey: Buffer,
  ) {}

  get keyId(): string {
    return this.signing.keyId;
  }

  sign(data: Buffer): Buffer {
    return sign(null, data, this.signing.privateKey);
  }

  verify(keyId: string, data: Buffer, signature: Buffer): boolean {
    const key = this.publicKey(keyId);
    if (!key) return false;
    try {
      return verify(null, data, key, signature);
    } catch {
      return false;
    }
  }

  /** A keyed hash of an attempted username: who tried the same name again shows, the name does not. */
  hashUsername(username: string): string {
    return `hmac:${createHmac('sha256', this.hashKey).update(username.toLowerCase()).digest('base64url')}`;
  }

  /** The sealing public keys as JWKs (for `GET /audit/keys`). */
  publicKeys(): Record<string, unknown>[] {
    return [{ keyId: this.signing.keyId, publicKey: this.signing.publicKey }, ...this.older].map(
      ({ keyId, publicKey }) => ({
        ...publicKey.export({ format: 'jwk' }),
        kid: keyId,
        alg: 'EdDSA',
        use: 'sig',
      }),
    );
  }

  private publicKey(keyId: string): KeyObject | undefined {
    if (keyId === this.signing.keyId) return this.signing.publicKey;
    return this.older.find((key) => key.keyId === keyId)?.publicKey;
  }
}

function generated(): SealingKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { keyId: sealingKeyId(publicKey), privateKey, publicKey };
}

function fromPrivate(privateKey: KeyObject): SealingKey {
  const publicKey = createPublicKey(privateKey);
  return { keyId: sealingKeyId(publicKey), privateKey, publicKey };
}

export async function loadAuditKeys(config: AppConfig): Promise<AuditKeys> {
  const { secrets } = config;
  switch (secrets.source) {
    case 'memory':
      return new AuditKeys(generated(), [], randomBytes(32));
    case 'data-dir': {
      const folder = path.join(secrets.dataDir, 'secrets');
      const pem = await keptInDataDir(path.join(folder, 'audit-sealing-key.pem'), () =>
        generated().privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      );
      const hash = await keptInDataDir(path.join(folder, 'audit-hash.key'), () => randomBytes(32).toString('base64'));
      return new AuditKeys(fromPrivate(createPrivateKey(pem)), [], Buffer.from(hash.trim(), 'base64'));
    }
    case 'files': {
      if (!secrets.auditSealingKeyFile) {
        throw new ConfigError(
          'AUDIT_SEALING_KEY_FILE',
          'is required (a PEM file with the Ed25519 key that signs audit seals)',
        );
      }
      if (!secrets.auditHashKeyFile) {
        throw new ConfigError('AUDIT_HASH_KEY_FILE', 'is required (a file with 32 random bytes, base64)');
      }
      const privateKey = await privateKeyFromFile('AUDIT_SEALING_KEY_FILE', secrets.auditSealingKeyFile);
      assertEd25519(privateKey, 'AUDIT_SEALING_KEY_FILE');
      const older = await Promise.all(
        secrets.auditVerifyKeyFiles.map(async (file) => {
          const publicKey = await publicKeyFromFile('AUDIT_VERIFY_KEY_FILES', file);
          assertEd25519(publicKey, 'AUDIT_VERIFY_KEY_FILES');
          return { keyId: sealingKeyId(publicKey), publicKey };
        }),
      );
      return new AuditKeys(
        fromPrivate(privateKey),
        older,
        await symmetricKeyFromFile('AUDIT_HASH_KEY_FILE', secrets.auditHashKeyFile),
      );
    }
  }
}
