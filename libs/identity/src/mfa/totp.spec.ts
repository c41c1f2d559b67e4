import { generateSync } from 'otplib';
import { newTotpSecret, verifyTotp } from './totp';

describe('verifyTotp', () => {
  const secret = newTotpSecret();
  const now = Math.floor(Date.now() / 1000);

  it('accepts the current code and the neighbouring periods, returning the time step', async () => {
    const step = Math.floor(now / 30);
    expect(await verifyTotp(secret, generateSync({ secret, epoch: now }), null)).toBe(step);
    expect(await verifyTotp(secret, generateSync({ secret, epoch: now - 30 }), null)).toBe(step - 1);
  });

  it('refuses old codes, malformed ones, and any code at or before the last accepted step', async () => {
    const code = generateSync({ secret, epoch: now });
    const step = Math.floor(now / 30);
    expect(await verifyTotp(secret, generateSync({ secret, epoch: now - 300 }), null)).toBeNull();
    expect(await verifyTotp(secret, '12345', null)).toBeNull();
    expect(await verifyTotp(secret, 'abcdef', null)).toBeNull();
    expect(await verifyTotp(secret, code, step)).toBeNull();
    expect(await verifyTotp(secret, code, step - 1)).toBe(step);
  });
});
