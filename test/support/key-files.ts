import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** The audit log's own keys, as production names them. */
export async function auditKeyFiles(folder: string): Promise<Record<string, string>> {
  const sealing = generateKeyPairSync('ed25519').privateKey;
  await writeFile(path.join(folder, 'audit-sealing.pem'), sealing.export({ format: 'pem', type: 'pkcs8' }));
  await writeFile(path.join(folder, 'audit-hash.key'), randomBytes(32).toString('hex'));
  return {
    AUDIT_SEALING_KEY_FILE: path.join(folder, 'audit-sealing.pem'),
    AUDIT_HASH_KEY_FILE: path.join(folder, 'audit-hash.key'),
  };
}

/** Every key in files, for instances (or the CLI) that must share them; `remove` deletes the folder. */
export async function sharedKeys(): Promise<{ env: Record<string, string>; folder: string; remove(): Promise<void> }> {
  const folder = await mkdtemp(path.join(tmpdir(), 'register-keys-'));
  const signing = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  await writeFile(path.join(folder, 'signing.pem'), signing.export({ format: 'pem', type: 'pkcs8' }));
  await writeFile(path.join(folder, 'mfa.key'), randomBytes(32).toString('base64'));
  await writeFile(path.join(folder, 'vetting-hash.key'), randomBytes(32).toString('base64'));
  return {
    folder,
    env: {
      JWT_SIGNING_KEY_FILE: path.join(folder, 'signing.pem'),
      MFA_ENCRYPTION_KEY_FILE: path.join(folder, 'mfa.key'),
      VETTING_HASH_KEY_FILE: path.join(folder, 'vetting-hash.key'),
      ...(await auditKeyFiles(folder)),
    },
    remove: () => rm(folder, { recursive: true, force: true }),
  };
}
