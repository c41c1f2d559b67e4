import { userInfo } from 'node:os';
import { CommandRunner } from 'nest-commander';
import { type AuditLog, operatorActor, RequestAudit } from '@app/audit';
import { DomainError } from '@app/common';

/** The audit of one command: the actor is the machine account that ran the CLI (`cli:<user>`). */
export function operatorAudit(action: string, resourceType: string): RequestAudit {
  return RequestAudit.system(action, operatorActor(userInfo().username)).on(resourceType);
}

function explain(error: unknown): string {
  if (error instanceof DomainError) {
    const fields = (error.errors ?? []).map((e) => `${e.field} ${e.message}`).join('; ');
    return fields ? `${error.detail} ${fields}` : error.detail;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * A command on the register's data, audited as a request is: every run
 * leaves exactly one event. The work writes it with what it does (the
 * services' `AuditLog.transaction`); a run that wrote none (it failed, or
 * had nothing to write with) records it here, `error` on failure. A failure
 * is one line on standard error and exit code 1.
 */
export abstract class OperatorCommand extends CommandRunner {
  constructor(protected readonly log: AuditLog) {
    super();
  }

  protected async audited(audit: RequestAudit, work: () => Promise<string | null>): Promise<void> {
    let outcome: 'allowed' | 'error' = 'allowed';
    try {
      const output = await work();
      if (output !== null) console.log(output);
    } catch (error) {
      outcome = 'error';
      console.error(`Failed: ${explain(error)}`);
      process.exitCode = 1;
    }
    if (audit.written) return;
    try {
      await this.log.record(audit.toEvent(outcome, null));
    } catch {
      console.error('Failed: the audit log could not be written');
      process.exitCode = 1;
    }
  }
}
