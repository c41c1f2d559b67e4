import { Algorithm, hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';

/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. */
const OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export class PasswordHasher {
  /** A hash of nothing anyone knows, verified for unknown users so they cost the same time. */
  private readonly dummy: Promise<string> = hash(randomBytes(32).toString('base64'), OPTIONS);

  hash(password: string): Promise<string> {
    return hash(password, OPTIONS);
  }

  async verify(hashed: string | null, password: string): Promise<boolean> {
    try {
      const ok = await verify(hashed ?? (await this.dummy), password);
      return hashed !== null && ok;
    } catch {
      return false;
    }
  }
}
