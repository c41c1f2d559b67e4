import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
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

export interface VerificationKey {
  kid: string;
  publicKey: KeyObject;
}

export interface SigningKey extends VerificationKey {
  privateKey: KeyObject;
}

/** Key material of the identity service, loaded once before the app starts. */
export class IdentitySecrets {
  constructor(
    /** Signs new access tokens (ES256). */
    readonly signing: SigningKey,
    /** Every key that still verifies: the signing key first, then older ones kept for rotation. */
    readonly verification: VerificationKey[],
    /** Encrypts TOTP secrets at rest (AES-256-GCM). */
    readonly mfaKey: Buffer,
  ) {}

  verificationKey(kid: string): KeyObject | undefined {
    return this.verification.find((key) => key.kid === kid)?.publicKey;
  }

  /** The JWKS: public keys only. */
  jwks(): { keys: Record<string, unknown>[] } {
    return {
      keys: this.verification.map(({ kid, publicKey }) => ({
        ...publicKey.export({ format: 'jwk' }),
        kid,
        alg: 'ES256',
        use: 'sig',
      })),
    };
  }
}

/** RFC 7638 thumbprint of an EC public key: a stable, content-derived key id. */
export function keyId(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' });
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}

function assertP256(key: KeyObject, variable: string): void {
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new ConfigError(variable, 'must name a PEM file with an EC P-256 key (ES256)');
  }
}

async function signingKeyFromFile(variable: string, file: string): Promise<SigningKey> {
  const privateKey = await privateKeyFromFile(variable, file);
  assertP256(privateKey, variable);
  const publicKey = createPublicKey(privateKey);
  return { kid: keyId(publicKey), privateKey, publicKey };
}

async function verificationKeyFromFile(variable: string, file: string): Promise<VerificationKey> {
  const publicKey = await publicKeyFromFile(variable, file);
  assertP256(publicKey, variable);
  return { kid: keyId(publicKey), publicKey };
}

function generateSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid: keyId(publicKey), privateKey, publicKey };
}

export async function loadIdentitySecrets(config: AppConfig): Promise<IdentitySecrets> {
  const { secrets } = config;
  switch (secrets.source) {
    case 'memory': {
      const signing = generateSigningKey();
      return new IdentitySecrets(signing, [signing], randomBytes(32));
    }
    case 'data-dir': {
      const folder = path.join(secrets.dataDir, 'secrets');
      const pem = await keptInDataDir(path.join(folder, 'jwt-signing-key.pem'), () =>
        generateSigningKey().privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      );
      const privateKey = createPrivateKey(pem);
      const publicKey = createPublicKey(privateKey);
      const signing = { kid: keyId(publicKey), privateKey, publicKey };
      const mfa = await keptInDataDir(path.join(folder, 'mfa-encryption.key'), () =>
        randomBytes(32).toString('base64'),
      );
      return new IdentitySecrets(signing, [signing], Buffer.from(mfa.trim(), 'base64'));
    }
    case 'files': {
      if (!secrets.jwtSigningKeyFile) {
        throw new ConfigError(
          'JWT_SIGNING_KEY_FILE',
          'is required (a PEM file with the EC P-256 key that signs access tokens)',
        );
      }
      if (!secrets.mfaEncryptionKeyFile) {
        throw new ConfigError('MFA_ENCRYPTION_KEY_FILE', 'is required (a file with 32 random bytes, base64)');
      }
      const signing = await signingKeyFromFile('JWT_SIGNING_KEY_FILE', secrets.jwtSigningKeyFile);
      const older = await Promise.all(
        secrets.jwtVerifyKeyFiles.map((file) => verificationKeyFromFile('JWT_VERIFY_KEY_FILES', file)),
      );
      const verification = [signing, ...older.filter((key) => key.kid !== signing.kid)];
      return new IdentitySecrets(
        signing,
        verification,
        await symmetricKeyFromFile('MFA_ENCRYPTION_KEY_FILE', secrets.mfaEncryptionKeyFile),
      );
    }
  }
}
