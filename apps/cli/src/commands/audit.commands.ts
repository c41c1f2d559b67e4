import { readFile } from 'node:fs/promises';
import { lowerBound, upperBound } from '@app/common';
import { pipeline } from 'node:stream/promises';
import { Command, Option } from 'nest-commander';
import { AuditLog, AuditQueryService, AuditVerifier, type Checkpoint } from '@app/audit';
import { OperatorCommand, operatorAudit } from '../operator-audit';

const DATE = /^\d{4}-\d{2}-\d{2}(T\S+)?$/;

@Command({
  name: 'audit:verify',
  description: 'Recompute every seal; with --checkpoint, also check the log against a checkpoint kept outside',
})
export class AuditVerifyCommand extends OperatorCommand {
  constructor(
    private readonly verifier: AuditVerifier,
    log: AuditLog,
  ) {
    super(log);
  }

  async run(_: string[], options: { checkpoint?: string }): Promise<void> {
    const audit = operatorAudit('audit.verify', 'audit_log');
    await this.audited(audit, async () => {
      const checkpoint = options.checkpoint
        ? (JSON.parse(await readFile(options.checkpoint, 'utf8')) as Checkpoint)
        : undefined;
      const result = await this.verifier.verifyRecorded(audit, checkpoint);
      if (!result.ok) process.exitCode = 2;
      return JSON.stringify(result);
    });
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
export class AuditExportCommand extends OperatorCommand {
  constructor(
    private readonly query: AuditQueryService,
    log: AuditLog,
  ) {
    super(log);
  }

  async run(_: string[], options: { from?: string; to?: string; recipient?: string }): Promise<void> {
    const audit = operatorAudit('audit.export', 'audit_log');
    // As the route's: an export is a disclosure, flagged for a reviewer.
    audit.flagged = true;
    await this.audited(audit, async () => {
      if (!options.from || !options.to || !DATE.test(options.from) || !DATE.test(options.to)) {
        throw new Error('--from and --to are required, as dates (2026-11-01) or timestamps');
      }
      if (!options.recipient) throw new Error('--recipient is required: who receives the export');
      const from = lowerBound(options.from);
      const to = upperBound(options.to);
      const stream = await this.query.export(audit, from, to, options.recipient);
      await pipeline(stream, process.stdout);
      return null;
    });
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
