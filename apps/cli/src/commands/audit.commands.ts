import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { lowerBound, upperBound } from '@app/common';
import { pipeline } from 'node:stream/promises';
import { Command, CommandRunner, Option } from 'nest-commander';
import { AuditQueryService, AuditVerifier, type Checkpoint, operatorActor, RequestAudit } from '@app/audit';

const DATE = /^\d{4}-\d{2}-\d{2}(T\S+)?$/;

@Command({
  name: 'audit:verify',
  description: 'Recompute every seal; with --checkpoint, also check the log against a checkpoint kept outside',
})
export class AuditVerifyCommand extends CommandRunner {
  constructor(private readonly verifier: AuditVerifier) {
    super();
  }

  async run(_: string[], options: { checkpoint?: string }): Promise<void> {
    const checkpoint = options.checkpoint
      ? (JSON.parse(await readFile(options.checkpoint, 'utf8')) as Checkpoint)
      : undefined;
    const result = await this.verifier.verify(checkpoint);
    console.log(JSON.stringify(result));
    if (!result.ok) process.exitCode = 2;
  }

  @Option({ flags: '--checkpoint <file>', description: 'a checkpoint file written by the worker' })
  parseCheckpoint(value: string): string {
    return value;
  }
}

@Command({
  name: 'audit:export',
  description: 'Write the events of a period as JSON Lines to standard output (a recorded disclosure)',
})
export class AuditExportCommand extends CommandRunner {
  constructor(private readonly query: AuditQueryService) {
    super();
  }

  async run(_: string[], options: { from?: string; to?: string; recipient?: string }): Promise<void> {
    if (!options.from || !options.to || !DATE.test(options.from) || !DATE.test(options.to)) {
      throw new Error('--from and --to are required, as dates (2026-11-01) or timestamps');
    }
    if (!options.recipient) throw new Error('--recipient is required: who receives the export');
    const audit = RequestAudit.system('audit.export', operatorActor(userInfo().username));
    audit.on('audit_log');
    audit.flagged = true;
    const stream = await this.query.export(audit, lowerBound(options.from), upperBound(options.to), options.recipient);
    await pipeline(stream, process.stdout);
  }

  @Option({ flags: '--from <date>' })
  parseFrom(value: string): string {
    return value;
  }

  @Option({ flags: '--to <date>' })
  parseTo(value: string): string {
    return value;
  }

  @Option({ flags: '--recipient <name>', description: 'the authority that receives the export' })
  parseRecipient(value: string): string {
    return value;
  }
}
