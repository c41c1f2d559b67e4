import { createHash, createPublicKey, type JsonWebKey, type KeyObject, verify } from 'node:crypto';
import { type PdfContent, renderPdf } from '@app/common';
import type { AuditKeys } from './audit-keys';

/** The document information entries that carry the signature and the id of the key that made it. */
const SIGNATURE_ENTRY = 'RegisterSignature';
const KEY_ENTRY = 'RegisterSignatureKey';
/** An Ed25519 signature: 64 bytes, written as 128 hex digits between `<` and `>`. */
const SIGNATURE_BYTES = 64;

/** What verification found: the key that signed, when the signature holds. */
export type SignedPdfCheck =
  | { valid: true; keyId: string }
  | { valid: false; keyId: string | null; reason: 'unsigned' | 'unknown_key' | 'signature' };

/** A public key as `GET /audit/keys` serves it (an Ed25519 JWK with its `kid`). */
export type PublicJwk = Record<string, unknown> & { kid?: unknown };

/**
 * Where the signature lies in the file: the one object that the document
 * information's `RegisterSignature` entry names, `N 0 obj <hex> endobj`.
 * Everything but the hex digits is signed (the ByteRange technique of PDF
 * signatures: bytes before and after the reserved space).
 */
function locate(pdf: Buffer): { start: number; end: number; keyId: string | null } | null {
  // latin1 keeps one character per byte, so string offsets are byte offsets.
  const text = pdf.toString('latin1');
  const entries = [...text.matchAll(new RegExp(`/${SIGNATURE_ENTRY} (\\d+) 0 R`, 'g'))];
  if (entries.length !== 1) return null;
  const objects = [
    ...text.matchAll(new RegExp(`\\n${entries[0][1]} 0 obj\\n<([0-9a-f]{${SIGNATURE_BYTES * 2}})>\\nendobj`, 'g')),
  ];
  if (objects.length !== 1) return null;
  const start = objects[0].index + objects[0][0].indexOf('<') + 1;
  const keyEntries = [...text.matchAll(new RegExp(`/${KEY_ENTRY} (\\d+) 0 R`, 'g'))];
  const keyObject =
    keyEntries.length === 1
      ? [...text.matchAll(new RegExp(`\\n${keyEntries[0][1]} 0 obj\\n\\(([A-Za-z0-9_-]{1,100})\\)\\nendobj`, 'g'))]
      : [];
  return { start, end: start + SIGNATURE_BYTES * 2, keyId: keyObject.length === 1 ? keyObject[0][1] : null };
}

/** The signed bytes: the file without the signature's hex digits. */
function signedBytes(pdf: Buffer, at: { start: number; end: number }): Buffer {
  return Buffer.concat([pdf.subarray(0, at.start), pdf.subarray(at.end)]);
}

/**
 * The one way the register signs a document it issues (the case file; the
 * vetting certificate and disclosure packages later): the PDF is laid out by
 * `renderPdf` with a fixed-size placeholder and the audit key's id in its
 * document information, then signed with the audit key (Ed25519) over every
 * byte but the placeholder's, which then receives the signature. Anyone with
 * the public key (`GET /audit/keys`) can check that not one byte changed.
 */
export async function signedPdf(keys: AuditKeys, content: PdfContent): Promise<Buffer> {
  const pdf = await renderPdf({
    ...content,
    info: {
      ...content.info,
      custom: { ...content.info?.custom, [KEY_ENTRY]: keys.keyId, [SIGNATURE_ENTRY]: new Uint8Array(SIGNATURE_BYTES) },
    },
  });
  const at = locate(pdf);
  if (!at) throw new Error('the rendered PDF has no signature placeholder');
  const signature = keys.sign(signedBytes(pdf, at)).toString('hex');
  pdf.write(signature, at.start, 'latin1');
  return pdf;
}

/** Whether `pdf` carries a signature by one of `publicKeys` over all of its bytes but the signature's. */
export function verifySignedPdf(pdf: Buffer, publicKeys: readonly PublicJwk[]): SignedPdfCheck {
  const at = locate(pdf);
  if (!at) return { valid: false, keyId: null, reason: 'unsigned' };
  const key = at.keyId ? publicKeyOf(publicKeys, at.keyId) : null;
  if (!at.keyId || !key) return { valid: false, keyId: at.keyId, reason: 'unknown_key' };
  const signature = Buffer.from(pdf.subarray(at.start, at.end).toString('latin1'), 'hex');
  let valid = false;
  try {
    valid = verify(null, signedBytes(pdf, at), key, signature);
  } catch {
    valid = false;
  }
  return valid ? { valid: true, keyId: at.keyId } : { valid: false, keyId: at.keyId, reason: 'signature' };
}

/** The SHA-256 of a file, hex (recorded with the disclosure that issued it). */
export function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function publicKeyOf(publicKeys: readonly PublicJwk[], keyId: string): KeyObject | null {
  const jwk = publicKeys.find((key) => key.kid === keyId);
  if (!jwk) return null;
  try {
    const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    return key.asymmetricKeyType === 'ed25519' ? key : null;
  } catch {
    return null;
  }
}
