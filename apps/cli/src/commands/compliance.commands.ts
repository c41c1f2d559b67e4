import { Command, CommandRunner } from 'nest-commander';
import { ComplianceScanner, MailDelivery } from '@app/compliance';

@Command({
  name: 'compliance:scan',
  description: 'Run one compliance scan now (alerts and reminders), then deliver the e-mails it wrote',
})
export class ComplianceScanCommand extends CommandRunner {
  constructor(
    private readonly scanner: ComplianceScanner,
    private readonly mail: MailDelivery,
  ) {
    super();
  }

  async run(): Promise<void> {
    const result = await this.scanner.scan();
    const mailed = await this.mail.deliverDue();
    console.log(JSON.stringify({ ...result, durationMs: Math.round(result.durationMs), mailed }));
  }
}
