import type { ReactNode } from 'react';
import { Can, useSession } from '../auth/session';
import { useT } from '../i18n';
import { Link } from '../router';
import { LanguageToggle } from './language-toggle';

export function Layout({ children }: { children: ReactNode }) {
  const { t, v } = useT();
  const { me, signOut } = useSession();
  return (
    <>
      <a className="skip" href="#main">
        {t('skipToContent')}
      </a>
      <header className="top">
        <span className="brand">{t('appTitle')}</span>
        <nav aria-label={t('home')}>
          <Link to="/">{t('home')}</Link>
          <Can I="read" a="Person">
            <Link to="/persons">{t('persons')}</Link>
          </Can>
          <Can I="create" a="Person">
            <Link to="/persons/new">{t('newPerson')}</Link>
          </Can>
          <Can I="read" a="Address">
            <Link to="/releases">{t('releases')}</Link>
          </Can>
          <Can I="read" a="Address">
            <Link to="/proximity">{t('proximity')}</Link>
          </Can>
          <Can I="lookup" a="PersonLookup">
            <Link to="/lookup">{t('lookup')}</Link>
          </Can>
          <Can I="read" a="Inbox">
            <Link to="/inbox">{t('inbox')}</Link>
          </Can>
          <Can I="manage" a="User">
            <Link to="/users">{t('users')}</Link>
          </Can>
          <Can I="read" a="Disclosure">
            <Link to="/disclosures">{t('disclosures')}</Link>
          </Can>
          <Can I="manage" a="Reference">
            <Link to="/reference">{t('reference')}</Link>
          </Can>
          <Can I="read" a="Statistics">
            <Link to="/statistics">{t('statistics')}</Link>
          </Can>
          <Can I="read" a="AuditEvent">
            <Link to="/audit">{t('audit')}</Link>
          </Can>
          <Can I="create" a="VettingRequest">
            <Link to="/vetting">{t('vetting')}</Link>
          </Can>
          <Can I="read" a="VettingVolume">
            <Link to="/vetting/volume">{t('vettingVolume')}</Link>
          </Can>
        </nav>
        <span className="who" title={`${me.displayName} (${v(me.role)}${me.region ? `, ${me.region}` : ''})`}>
          <span className="who-words">{t('signedInAs')} </span>
          <strong>{me.displayName}</strong>
          <span className="who-words">
            {' '}
            ({v(me.role)}
            {me.region ? `, ${me.region}` : ''})
          </span>
        </span>
        <LanguageToggle />
        <button type="button" onClick={signOut}>
          {t('signOut')}
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
