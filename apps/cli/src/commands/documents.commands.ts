import { readFile } from 'node:fs/promises';
import { Command, CommandRunner, Option } from 'nest-commander';
import { loadAuditKeys, type PublicJwk, verifySignedPdf } from '@app/audit';
import { AppConfig } from '@app/common';

/** The exit code of a document whose signature does not hold. */
export const DOCUMENT_INVALID = 1;

/** The keys of `GET /audit/keys` as saved: its answer `{keys: [...]}`, or the list alone. */
function publishedKeys(text: string): PublicJwk[] {
  const parsed: unknown = JSON.parse(text);
  const keys = Array.isArray(parsed) ? parsed : (parsed as { keys?: unknown })?.keys;
  if (!Array.isArray(keys)) throw new Error('the keys file holds no list of keys (the answer of GET /audit/keys)');
  return keys as PublicJwk[];
}

/**
 * Checks a PDF the register issued (a case file): its signature by the audit
 * key over every byte but the signature's own. Reads no register data and
 * writes no event: it is what a recipient runs, with the keys the register
 * published (`--keys`), or the register's own keys at the register's machine.
 */
@Command({
  name: 'documents:verify',
  arguments: '<file>',
  description: 'Check the signature of a PDF the register issued; prints valid or invalid and the key id',
})
export class DocumentsVerifyCommand extends CommandRunner {
  constructor(private readonly config: AppConfig) {
    super();
  }

  async run([file]: string[], options: { keys?: string }): Promise<void> {
    const keys = options.keys
      ? publishedKeys(await readFile(options.keys, 'utf8'))
      : (await loadAuditKeys(this.config)).publicKeys();
    const result = verifySignedPdf(await readFile(file), keys);
    if (result.valid) {
      console.log(`valid: signed by key ${result.keyId}`);
      return;
    }
    console.log(`invalid: ${result.reason} (key ${result.keyId ?? 'none'})`);
    process.exitCode = DOCUMENT_INVALID;
  }

  @Option({ flags: '--keys <file>', description: 'the public keys as GET /api/v1/audit/keys answers them (JSON)' })
  parseKeys(value: string): string {
    return value;
  }
}
