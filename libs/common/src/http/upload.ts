import type { FastifyRequest } from 'fastify';
import { DomainError } from '../errors/domain-error';

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/** The kinds of file the register keeps (photos, scanned forms), known by their first bytes. */
export type SniffedType = 'application/pdf' | 'image/jpeg' | 'image/png';

const MAGIC: [SniffedType, Buffer][] = [
  ['application/pdf', Buffer.from('%PDF-', 'latin1')],
  ['image/jpeg', Buffer.from([0xff, 0xd8, 0xff])],
  ['image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
];

/** What the bytes are, by their magic numbers (never by a name or a declared type); null for anything else. */
export function sniffContentType(data: Buffer): SniffedType | null {
  return MAGIC.find(([, magic]) => data.subarray(0, magic.length).equals(magic))?.[0] ?? null;
}

/**
 * The one file of a multipart request, in field `field`, as bytes. No file,
 * another field or a second part is 400; more than the limit is 413 (the
 * multipart parser stops reading at the limit).
 */
export async function readUpload(request: FastifyRequest, field: string): Promise<Buffer> {
  assertMultipart(request);
  let data: Buffer;
  try {
    const file = await request.file();
    if (!file || file.fieldname !== field) throw notTheFile(field);
    data = await file.toBuffer();
  } catch (error) {
    throw unreadable(error, field);
  }
  return nonEmpty(data, field);
}

/** A multipart form: one file and some text fields, each of which may be repeated. */
export interface FormUpload {
  file: Buffer;
  /** The values sent for each text field named in the form's spec (empty when not sent). */
  fields: Map<string, string[]>;
}

/** How many text parts a form may carry (repeated fields included), and how long each may be. */
const MAX_FORM_FIELDS = 64;
const MAX_FORM_FIELD_BYTES = 16 * 1024;

/**
 * A multipart form of one file (`file`, at most `maxBytes`: 413 beyond) and
 * the text fields `fields`; any other part is 400, as an unknown property of
 * a JSON body is.
 */
export async function readForm(
  request: FastifyRequest,
  spec: { file: string; fields: readonly string[]; maxBytes: number },
): Promise<FormUpload> {
  assertMultipart(request);
  const fields = new Map(spec.fields.map((name) => [name, [] as string[]]));
  let file: Buffer | null = null;
  try {
    const parts = request.parts({
      limits: {
        fileSize: spec.maxBytes,
        files: 1,
        fields: MAX_FORM_FIELDS,
        parts: MAX_FORM_FIELDS + 1,
        fieldSize: MAX_FORM_FIELD_BYTES,
      },
    });
    for await (const part of parts) {
      if (part.type === 'file') {
        if (part.fieldname !== spec.file) throw notTheFile(spec.file);
        file = await part.toBuffer();
        continue;
      }
      const values = fields.get(part.fieldname);
      if (!values) throw DomainError.validation([{ field: part.fieldname, message: 'is not a known property' }]);
      if (part.valueTruncated) {
        throw DomainError.validation([
          { field: part.fieldname, message: `must be at most ${MAX_FORM_FIELD_BYTES} bytes` },
        ]);
      }
      // A part sent as application/json arrives parsed: keep its text.
      values.push(typeof part.value === 'string' ? part.value : JSON.stringify(part.value));
    }
  } catch (error) {
    throw unreadable(error, spec.file);
  }
  if (!file) throw notTheFile(spec.file);
  return { file: nonEmpty(file, spec.file), fields };
}

function assertMultipart(request: FastifyRequest): void {
  if (!request.isMultipart()) {
    throw new DomainError('unsupported_media_type', 'Send the file as multipart/form-data.');
  }
}

function notTheFile(field: string): DomainError {
  return DomainError.validation([{ field, message: 'must be the one file of the request' }]);
}

function nonEmpty(data: Buffer, field: string): Buffer {
  if (data.length === 0) throw DomainError.validation([{ field, message: 'is empty' }]);
  return data;
}

/**
 * The parser's own refusals carry their status (413 for the limits); a body
 * that is not multipart as it claims (no boundary, cut short, broken headers)
 * makes busboy throw a bare error, which is the client's fault: 400, not 500.
 */
function unreadable(error: unknown, field: string): unknown {
  if (error instanceof DomainError) return error;
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500 && status !== 406) return error;
  return DomainError.validation(
    [{ field, message: 'must be sent as a well-formed multipart/form-data file' }],
    'The multipart body could not be read.',
  );
}
