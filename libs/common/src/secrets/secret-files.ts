import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '../config/environment';

/** Reads a file named by a configuration variable; a failure names the variable. */
export async function readSecretFile(variable: string, file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch {
    throw new ConfigError(variable, `cannot read ${file}`);
  }
}

/** 32 bytes, as base64 (44 characters) or hex (64 characters) text in the file. */
export async function symmetricKeyFromFile(variable: string, file: string): Promise<Buffer> {
  const text = (await readSecretFile(variable, file)).toString('utf8').trim();
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) throw new ConfigError(variable, 'must name a file holding 32 bytes as base64 or hex');
  return key;
}

export async function privateKeyFromFile(variable: string, file: string): Promise<KeyObject> {
  const pem = await readSecretFile(variable, file);
  try {
    return createPrivateKey(pem);
  } catch {
    throw new ConfigError(variable, `${file} is not a PEM private key`);
  }
}

export async function publicKeyFromFile(variable: string, file: string): Promise<KeyObject> {
  const pem = await readSecretFile(variable, file);
  try {
    return createPublicKey(pem);
  } catch {
    throw new ConfigError(variable, `${file} is not a PEM key`);
  }
}

/** Reads a generated secret from `file`, or generates it and writes it there (0600) the first time. */
export async function keptInDataDir(file: string, generate: () => string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const content = generate();
  try {
    await fs.writeFile(file, content, { mode: 0o600, flag: 'wx' });
    return content;
  } catch (error) {
    // Another process wrote it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return fs.readFile(file, 'utf8');
    throw error;
  }
}
