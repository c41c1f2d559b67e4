import { lazy, Suspense } from 'react';
import { useSession } from './auth/session';
import { useT } from './i18n';
import { match, usePath } from './router';
import { AlertPage, InboxPage } from './views/alerts';
import { AuditPage } from './views/audit';
import { DisclosuresPage } from './views/disclosures';
import { LookupPage } from './views/lookup';
import { MorningView } from './views/morning';
import { ReferencePage } from './views/reference';
import { ProximityPage } from './views/proximity';
import { ReleasesPage } from './views/releases';
import { UsersPage } from './views/users';
import { EditPerson, HistoryPage, NewPerson, PersonPage, PersonSearch } from './views/person';
import { VettingPage, VettingVolumePage } from './views/vetting';

// The charts' library is large: the statistics page is its own chunk, read when first opened.
const StatisticsPage = lazy(() => import('./views/statistics'));

/** The console's pages; the server answers index.html for every /console path, so each is a deep link. */
export function Routes() {
  const path = usePath();
  const { t } = useT();
  const { ability } = useSession();
  let params: Record<string, string> | null;
  if (path === '/') return <Home />;
  if (path === '/persons') return <PersonSearch />;
  if (path === '/persons/new') return ability.can('create', 'Person') ? <NewPerson /> : <p>{t('forbidden')}</p>;
  if ((params = match('/persons/:id', path))) return <PersonPage key={params.id} id={params.id} />;
  if ((params = match('/persons/:id/edit', path))) return <EditPerson key={params.id} id={params.id} />;
  if ((params = match('/persons/:id/history', path))) return <HistoryPage key={params.id} id={params.id} />;
  if ((params = match('/alerts/:id', path))) return <AlertPage key={params.id} id={params.id} />;
  if (path === '/inbox') return <InboxPage />;
  if (path === '/lookup') return <LookupPage />;
  if (path === '/releases') return ability.can('read', 'Address') ? <ReleasesPage /> : <p>{t('forbidden')}</p>;
  if (path === '/proximity') return ability.can('read', 'Address') ? <ProximityPage /> : <p>{t('forbidden')}</p>;
  if (path === '/users') return ability.can('manage', 'User') ? <UsersPage /> : <p>{t('forbidden')}</p>;
  if (path === '/disclosures') return ability.can('read', 'Disclosure') ? <DisclosuresPage /> : <p>{t('forbidden')}</p>;
  if (path === '/reference') return ability.can('manage', 'Reference') ? <ReferencePage /> : <p>{t('forbidden')}</p>;
  if (path === '/audit') return ability.can('read', 'AuditEvent') ? <AuditPage /> : <p>{t('forbidden')}</p>;
  if (path === '/vetting') return ability.can('create', 'VettingRequest') ? <VettingPage /> : <p>{t('forbidden')}</p>;
  if (path === '/statistics') {
    return ability.can('read', 'Statistics') ? (
      <Suspense fallback={<p>{t('loading')}</p>}>
        <StatisticsPage />
      </Suspense>
    ) : (
      <p>{t('forbidden')}</p>
    );
  }
  if (path === '/vetting/volume') {
    return ability.can('read', 'VettingVolume') ? <VettingVolumePage /> : <p>{t('forbidden')}</p>;
  }
  return <p>{t('notFound')}</p>;
}

function Home() {
  const { ability } = useSession();
  const { t } = useT();
  if (ability.can('read', 'AuditEvent')) return <AuditPage />;
  if (ability.can('create', 'VettingRequest')) return <VettingPage />;
  if (ability.can('read', 'Alert')) return <MorningView />;
  if (ability.can('read', 'Person')) return <PersonSearch />;
  if (ability.can('manage', 'User')) return <UsersPage />;
  if (ability.can('manage', 'Reference')) return <ReferencePage />;
  return <p>{t('forbidden')}</p>;
}
