import { readFile } from 'node:fs/promises';
import { Command } from 'nest-commander';
import { AuditLog } from '@app/audit';
import { PlacesService } from '@app/register';
import { OperatorCommand, operatorAudit } from '../operator-audit';

/** The exit code of an import that refused some rows (and imported the others). */
export const SOME_ROWS_REFUSED = 2;

@Command({
  name: 'places:import',
  arguments: '<file>',
  description:
    'Import places where minors gather from a CSV file (header: external_id, kind, name, address, latitude, longitude); idempotent by external_id',
})
export class PlacesImportCommand extends OperatorCommand {
  constructor(
    private readonly places: PlacesService,
    log: AuditLog,
  ) {
    super(log);
  }

  async run([file]: string[]): Promise<void> {
    const audit = operatorAudit('places.import', 'place');
    let refused = 0;
    await this.audited(audit, async () => {
      const report = await this.places.import(audit, await readFile(file, 'utf8'));
      refused = report.refused.length;
      for (const row of report.refused) {
        console.error(`line ${row.line}${row.externalId ? ` (${row.externalId})` : ''}: ${row.reasons.join('; ')}`);
      }
      return JSON.stringify({
        created: report.created,
        updated: report.updated,
        unchanged: report.unchanged,
        refused,
      });
    });
    if (refused > 0 && !process.exitCode) process.exitCode = SOME_ROWS_REFUSED;
  }
}

@Command({
  name: 'proximity:rebuild',
  description:
    'Recompute every person-place pair within PROXIMITY_MAX_METRES for the proximity list (after that setting changes, or to repair)',
})
export class ProximityRebuildCommand extends OperatorCommand {
  constructor(
    private readonly places: PlacesService,
    log: AuditLog,
  ) {
    super(log);
  }

  async run(): Promise<void> {
    const audit = operatorAudit('proximity.rebuild', 'place');
    await this.audited(audit, async () => JSON.stringify(await this.places.rebuildProximityPairs(audit)));
  }
}
