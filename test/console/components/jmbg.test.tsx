import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { checkJmbg, jmbgCheckDigit } from '../../../apps/console/src/jmbg';
import { EMPTY_PERSONAL, PersonalForm } from '../../../apps/console/src/views/personal-form';
import { renderSignedIn } from './fake-api';

describe('JMBG', () => {
  it('accepts valid JMBGs (the examples of the README)', () => {
    for (const jmbg of ['0101900350008', '0101990360007', '0101000805018']) expect(checkJmbg(jmbg)).toBeNull();
  });

  it('names what is wrong', () => {
    expect(checkJmbg('0101900350007')).toBe('checksum');
    expect(checkJmbg('01019003500')).toBe('format');
    expect(checkJmbg('3102990360007')).toBe('date');
    expect(checkJmbg('0101990360007', '1990-01-02')).toBe('dateOfBirth');
    expect(checkJmbg('0101990360007', '1990-01-01', 'F')).toBe('sex');
    expect(checkJmbg('0101990360007', '1990-01-01', 'M')).toBeNull();
  });

  it('has no check digit when the remainder is 1', () => {
    // 7*(0+0)+6*(1+3)+5*(0+5)+4*(1+0)+3*(9+0)+2*(0+0) = 0+24+25+4+27+0 = 80; 80 mod 11 = 3 → K = 8
    expect(jmbgCheckDigit('010190035000')).toBe(8);
    const remainderOne = [...Array(1000).keys()]
      .map((n) => `0101990${String(71).padStart(2, '0')}${String(n).padStart(3, '0')}`)
      .find((first12) => jmbgCheckDigit(first12) === null);
    expect(remainderOne).toBeDefined();
  });

  it('is checked as it is typed, against the date of birth and sex', () => {
    const onSubmit = vi.fn();
    renderSignedIn(<PersonalForm initial={EMPTY_PERSONAL} onSubmit={onSubmit} submitLabel="Evidentiraj" />, {
      rules: [{ action: 'create', subject: 'Person' }],
      answer: () => undefined,
    });
    fireEvent.change(screen.getByLabelText('Datum rođenja'), { target: { value: '1990-01-01' } });
    const jmbg = screen.getByLabelText('JMBG');
    fireEvent.change(jmbg, { target: { value: '0101990360' } });
    expect(screen.getByTestId('jmbg-status').textContent).toBe('JMBG ima tačno 13 cifara.');
    fireEvent.change(jmbg, { target: { value: '0101990360008' } });
    expect(screen.getByTestId('jmbg-status').textContent).toBe('Kontrolna cifra nije ispravna.');
    expect(jmbg.getAttribute('aria-invalid')).toBe('true');
    expect((screen.getByRole('button', { name: 'Evidentiraj' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(jmbg, { target: { value: '0101990360007' } });
    expect(screen.getByTestId('jmbg-status').textContent).toBe('JMBG je ispravan.');
    fireEvent.change(screen.getByLabelText('Pol'), { target: { value: 'F' } });
    expect(screen.getByTestId('jmbg-status').textContent).toBe('JMBG se ne slaže sa polom.');
  });
});
