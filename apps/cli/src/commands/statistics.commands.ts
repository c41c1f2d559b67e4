import { Command, Option } from 'nest-commander';
import { AuditLog } from '@app/audit';
import { isRealDate } from '@app/common';
import { StatisticsDays } from '@app/register';
import { OperatorCommand, operatorAudit } from '../operator-audit';

@Command({
  name: 'statistics:record',
  description:
    'Record the statistics of the days ended since the last recorded (the worker does it each hour); ' +
    'when none is recorded yet, from --from (default: the last day ended)',
})
export class StatisticsRecordCommand extends OperatorCommand {
  constructor(
    private readonly days: StatisticsDays,
    log: AuditLog,
  ) {
    super(log);
  }

  async run(_args: string[], options: { from?: string }): Promise<void> {
    const audit = operatorAudit('statistics.record', 'statistics');
    await this.audited(audit, async () => {
      if (options.from !== undefined && !isRealDate(options.from)) {
        throw new Error('--from must be a real date (YYYY-MM-DD)');
      }
      const recorded = await this.days.recordEnded(options.from);
      audit.details = { from: options.from ?? null, recorded: recorded.length };
      return JSON.stringify({ recorded });
    });
  }

  @Option({ flags: '--from <day>', description: 'The first day to record when none is recorded yet (YYYY-MM-DD)' })
  parseFrom(value: string): string {
    return value;
  }
}
