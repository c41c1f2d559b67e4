import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/common';
import type { Principal } from '@app/authz';
import { AuditKeys, type RequestAudit, sha256Hex, signedPdf } from '@app/audit';
import { type CaseFileView, readCaseFile } from './access/case-file-read-model';
import { PersonAccess } from './access/person-access';
import { caseFileDocument } from './case-file.document';
import type { CaseFileFormat } from './dto/case-file.dto';

export type CaseFile = { format: 'json'; view: CaseFileView } | { format: 'pdf'; pdf: Buffer; fileName: string };

/**
 * The case file of one person for a prosecutor: one builder (the JSON view),
 * and the PDF rendered from that same view and signed with the audit key.
 * Producing it is a disclosure: the request's event is flagged and names the
 * recipient, the format and, for the PDF, the file's SHA-256.
 */
@Injectable()
export class CaseFileService {
  constructor(
    private readonly access: PersonAccess,
    private readonly keys: AuditKeys,
    private readonly config: AppConfig,
  ) {}

  issue(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    input: { recipient: string; format?: CaseFileFormat },
  ): Promise<CaseFile> {
    const format = input.format ?? 'json';
    audit.on('case_file', personId).subject(personId);
    audit.recipient = input.recipient;
    audit.details = { format };
    return this.access.within(audit, principal, { action: 'export', on: 'CaseFile', personId }, async (person) => {
      const view = await readCaseFile(person, input.recipient, this.config.compliance.graceHours);
      if (format === 'json') return { format, view };
      const pdf = await signedPdf(this.keys, caseFileDocument(view));
      audit.details = { format, sha256: sha256Hex(pdf), keyId: this.keys.keyId };
      return { format, pdf, fileName: `case-file-${personId}-${view.issuedAt.slice(0, 10)}.pdf` };
    });
  }
}
