import { render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../apps/console/src/api/client';
import { ErrorMessage, Field, Select } from '../../../apps/console/src/components/form';

const refused = new ApiError(400, {
  type: 'urn:register:problem:validation',
  title: 'The request is not valid',
  status: 400,
  errors: [
    { field: 'email', message: 'email must be an email' },
    { field: 'offences.0.article', message: 'must be an article such as 180 or 185a' },
    { field: 'sentence.months', message: 'is required for imprisonment' },
  ],
});

/** A form whose summary stands outside it (as on the accounts page), fields named by label or by api name. */
function Form({ error }: { error: unknown }) {
  const [email, setEmail] = useState('jelena@uiks');
  return (
    <section>
      <ErrorMessage error={error} />
      <form aria-label="nalog">
        <Field label="Korisničko ime" value="" onChange={() => undefined} />
        <Field label="E-pošta" value={email} onChange={(e) => setEmail(e.target.value)} />
        <Select label="Kazna" name="months" value="" options={[['', '—']]} onChange={() => undefined} />
      </form>
    </section>
  );
}

describe('field errors', () => {
  it('shows each error beside the field that owns it (by its label or its api name), the rest in the summary', () => {
    const { rerender } = render(<Form error={refused} />);
    const email = screen.getByLabelText('E-pošta');
    const months = screen.getByLabelText('Kazna');
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(email.getAttribute('aria-describedby')!)?.textContent).toBe(
      'nije ispravna adresa e-pošte',
    );
    expect(months.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(months.getAttribute('aria-describedby')!)?.textContent).toBe(
      'je obavezno za ovu vrstu',
    );
    expect(screen.getByLabelText('Korisničko ime').getAttribute('aria-invalid')).toBe(null);
    // The first field in error has the focus.
    expect(document.activeElement).toBe(email);
    const items = within(screen.getByRole('alert'))
      .getAllByRole('listitem')
      .map((item) => item.textContent);
    expect(items).toEqual([
      'E-pošta',
      'Krivična dela – Član: must be an article such as 180 or 185a',
      'Kazna – Trajanje (meseci)',
    ]);

    // No error: no mark is left.
    rerender(
      <Form error={new ApiError(404, { type: 'urn:register:problem:not_found', title: 'Not found', status: 404 })} />,
    );
    expect(email.getAttribute('aria-invalid')).toBe(null);
    expect(months.getAttribute('aria-describedby')).toBe(null);
  });
});
