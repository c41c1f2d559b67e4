import { Command } from 'nest-commander';
import { AuditLog } from '@app/audit';
import { ComplianceScanner, MailDelivery } from '@app/compliance';
import { OperatorCommand, operatorAudit } from '../operator-audit';

@Command({
  name: 'compliance:scan',
  description: 'Run one compliance scan now (alerts and reminders), then deliver the e-mails it wrote',
})
export class ComplianceScanCommand extends OperatorCommand {
  constructor(
    private readonly scanner: ComplianceScanner,
    private readonly mail: MailDelivery,
    log: AuditLog,
  ) {
    super(log);
  }

  async run(): Promise<void> {
    const audit = operatorAudit('compliance.scan', 'alert');
    await this.audited(audit, async () => {
      // The scan writes the operator's event when it raised something; otherwise it is recorded after.
      const result = await this.scanner.scan(new Date(), audit);
      const mailed = await this.mail.deliverDue();
      if (!audit.written) audit.details = { ran: result.ran, raised: result.raised, reminders: result.reminders };
      return JSON.stringify({ ...result, durationMs: Math.round(result.durationMs), mailed });
    });
  }
}
