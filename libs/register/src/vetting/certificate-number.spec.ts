import { canonicalCertificateNumber, newCertificateNumber } from './certificate-number';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

describe('certificate numbers', () => {
  it('are three groups of nine base32 characters that pass their own check', () => {
    const number = newCertificateNumber();
    expect(number).toMatch(/^[A-H][A-Z2-7]{8}-[A-Z2-7]{9}-[A-Z2-7]{9}$/);
    expect(canonicalCertificateNumber(number)).toBe(number);
    expect(canonicalCertificateNumber(number.toLowerCase().replace(/-/g, ''))).toBe(number);
  });

  it('carry the 128 bits they were made of', () => {
    expect(newCertificateNumber(Buffer.alloc(16, 0))).toMatch(/^AAAAAAAAA-AAAAAAAAA-AAAAAAAA[A-Z2-7]$/);
    expect(newCertificateNumber(Buffer.alloc(16, 0xff)).slice(0, 9)).toBe('H77777777');
    expect(newCertificateNumber()).not.toBe(newCertificateNumber());
  });

  it('refuse every change of one character, and a swap of two neighbours that differ', () => {
    const number = newCertificateNumber(Buffer.from('00112233445566778899aabbccddeeff', 'hex'));
    const compact = number.replace(/-/g, '');
    let refused = 0;
    let changes = 0;
    for (let i = 1; i < compact.length; i += 1) {
      for (const c of ALPHABET) {
        if (c === compact[i]) continue;
        changes += 1;
        if (canonicalCertificateNumber(compact.slice(0, i) + c + compact.slice(i + 1)) === null) refused += 1;
      }
    }
    expect(refused).toBe(changes);
    for (let i = 0; i + 1 < compact.length; i += 1) {
      if (compact[i] === compact[i + 1]) continue;
      const swapped = compact.slice(0, i) + compact[i + 1] + compact[i] + compact.slice(i + 2);
      // Luhn mod 32 misses only the swap of a pair whose values differ by 16 (and 0-31): rare, and still unguessable.
      const values = [ALPHABET.indexOf(compact[i]), ALPHABET.indexOf(compact[i + 1])];
      if (Math.abs(values[0] - values[1]) === 16 || Math.abs(values[0] - values[1]) === 31) continue;
      expect([swapped, canonicalCertificateNumber(swapped)]).toEqual([swapped, null]);
    }
  });

  it('refuse what cannot be a number: wrong length, letters outside base32, a JMBG', () => {
    for (const text of ['', 'A', '0101990710008', 'AAAAAAAAA-AAAAAAAAA-AAAAAAAA1', 'x'.repeat(27), '../../etc']) {
      expect([text, canonicalCertificateNumber(text)]).toEqual([text, null]);
    }
  });
});
