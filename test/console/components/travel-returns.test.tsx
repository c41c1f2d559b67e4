import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { today } from '../../../apps/console/src/components/form';
import { I18nProvider } from '../../../apps/console/src/i18n';
import { TravelReturns } from '../../../apps/console/src/views/check-in';
import { json, page, renderSignedIn } from './fake-api';

const notice = (id: string, overrides: object = {}) => ({
  id,
  kind: 'travel_abroad',
  details: { destinationCountry: 'HU', departOn: '2026-11-20', returnOn: '2026-11-25' },
  returnedOn: null,
  voidedAt: null,
  ...overrides,
});

describe('travel returns', () => {
  it('lists travel notices without a return and records one', async () => {
    let returned = false;
    const { calls } = renderSignedIn(
      <I18nProvider>
        <TravelReturns personId="p1" reason="KT-1/2026" />
      </I18nProvider>,
      {
        rules: [{ action: ['read', 'record'], subject: 'Notification' }],
        answer: (call) => {
          if (call.method === 'GET' && call.url.startsWith('/persons/p1/notifications')) {
            return page([
              notice('n1', { returnedOn: returned ? today() : null }),
              notice('n2', { returnedOn: '2026-11-25' }),
              notice('n3', { voidedAt: '2026-11-21T10:00:00Z' }),
              { ...notice('n4'), kind: 'residence_change' },
            ]);
          }
          if (call.method === 'POST' && call.url === '/persons/p1/notifications/n1/return') {
            returned = true;
            return json({ ...notice('n1'), returnedOn: today() });
          }
          return undefined;
        },
      },
    );
    const list = await screen.findByTestId('travel-returns');
    expect(list.querySelectorAll('li')).toHaveLength(1);
    fireEvent.click(screen.getByRole('button'));
    await waitFor(() => expect(screen.queryByTestId('travel-returns')).toBeNull());
    expect(calls.filter((c) => c.method === 'POST')).toEqual([
      expect.objectContaining({ url: '/persons/p1/notifications/n1/return', body: { returnedOn: today() } }),
    ]);
  });
});
