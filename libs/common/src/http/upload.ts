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
  const file = await request.file();
  if (!file || file.fieldname !== field) {
    throw DomainError.validation([{ field, message: 'must be the one file of the request' }]);
  }
  const data = await file.toBuffer();
  if (data.length === 0) throw DomainError.validation([{ field, message: 'is empty' }]);
  return data;
}
