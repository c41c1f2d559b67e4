import type { FastifyRequest } from 'fastify';
import { DomainError } from '../errors/domain-error';

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/**
 * The one file of a multipart request, in field `field`, as bytes. No file,
 * another field or a second part is 400; more than the limit is 413 (the
 * multipart parser stops reading at the limit).
 */
export async function readUpload(request: FastifyRequest, field: string): Promise<Buffer> {
  if (!request.isMultipart()) {
    throw new DomainError('unsupported_media_type', 'Send the file as multipart/form-data.');
  }
  let data: Buffer;
  try {
    const file = await request.file();
    if (!file || file.fieldname !== field) {
      throw DomainError.validation([{ field, message: 'must be the one file of the request' }]);
    }
    data = await file.toBuffer();
  } catch (error) {
    throw unreadable(error, field);
  }
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
