import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { renderPdf } from '@app/common';
import { pdfText } from '../../../test/support/pdf-text';
import { AuditKeys, sealingKeyId } from './audit-keys';
import { signedPdf, verifySignedPdf } from './signed-documents';

function keys(): AuditKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return new AuditKeys({ keyId: sealingKeyId(publicKey), privateKey, publicKey }, [], randomBytes(32));
}

const CONTENT = {
  title: 'Spis predmeta',
  createdAt: new Date('2026-12-03T10:00:00Z'),
  sections: [{ heading: 'Lice', rows: [['Ime i prezime', 'Đorđe Čavić']] as [string, string][] }],
};

describe('signed PDFs', () => {
  const signer = keys();
  const published = signer.publicKeys();
  let pdf: Buffer;
  let placeholder: { start: number; end: number };

  beforeAll(async () => {
    pdf = await signedPdf(signer, CONTENT);
    const match = /\/RegisterSignature (\d+) 0 R/.exec(pdf.toString('latin1'));
    const object = new RegExp(`\\n${match![1]} 0 obj\\n<([0-9a-f]{128})>`).exec(pdf.toString('latin1'))!;
    const start = object.index + object[0].indexOf('<') + 1;
    placeholder = { start, end: start + 128 };
  });

  it('refuses a PDF without a signature', async () => {
    const plain = await renderPdf(CONTENT);
    expect(verifySignedPdf(plain, published)).toEqual({ valid: false, keyId: null, reason: 'unsigned' });
  });

  it('refuses a signature by a key it does not know', () => {
    expect(verifySignedPdf(pdf, keys().publicKeys())).toEqual({
      valid: false,
      keyId: signer.keyId,
      reason: 'unknown_key',
    });
  });

  it('refuses a changed signature', () => {
    const changed = Buffer.from(pdf);
    const digit = changed[placeholder.start + 10];
    changed[placeholder.start + 10] = digit === 0x30 ? 0x31 : 0x30;
    expect(verifySignedPdf(changed, published)).toEqual({ valid: false, keyId: signer.keyId, reason: 'signature' });
  });

  it('refuses one changed byte anywhere outside the placeholder', () => {
    // Every 97th byte, and the first and last: a flipped bit outside the signature's digits always fails.
    const positions = [0, pdf.length - 1];
    for (let at = 1; at < pdf.length - 1; at += 97) positions.push(at);
    for (const at of positions.filter((p) => p < placeholder.start || p >= placeholder.end)) {
      const changed = Buffer.from(pdf);
      changed[at] ^= 0x01;
      expect(verifySignedPdf(changed, published).valid).toBe(false);
    }
  });

  it('refuses bytes appended after the end (an incremental update)', () => {
    const appended = Buffer.concat([pdf, Buffer.from('\n1 0 obj\n(x)\nendobj\n')]);
    expect(verifySignedPdf(appended, published)).toEqual({ valid: false, keyId: signer.keyId, reason: 'signature' });
  });

  it('verifies the signed PDF with the published key, and the PDF still opens', async () => {
    expect(verifySignedPdf(pdf, published)).toEqual({ valid: true, keyId: signer.keyId });
    expect(await pdfText(pdf)).toContain('Đorđe Čavić');
  });
});
