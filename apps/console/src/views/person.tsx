import { type FormEvent, type KeyboardEvent, useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, versionOf } from '../api/client';
import type { Ability } from '../auth/ability';
import { Can, useSession } from '../auth/session';
import { ErrorMessage, Field, formatDate, formatDue, formatTime } from '../components/form';
import { ReasonGate, rememberReason } from '../components/reason';
import { useSubmission } from '../components/submission';
import { type FieldDiff, diffVersions, mergeMine, show } from '../diff';
import { changedFields, historyWords } from '../history';
import { type MessageKey, scheduleWords, useT } from '../i18n';
import { fieldWords } from '../problems';
import { Link, navigate } from '../router';
import type { Conviction, Measure, Page, Person, HistoryItem } from '../types';
import { Acknowledgements } from './acknowledgements';
import { AddressCheckForm } from './address-checks';
import { CaseFileDownload } from './case-file';
import { NotificationForm, PersonCheckIn, TravelReturns } from './check-in';
import { DisclosureForm } from './disclosures';
import { BreachList, CheckInList, CounsellingList, NotificationList } from './person-acts';
import {
  AddressForm,
  ConvictionForm,
  DescriptionForm,
  DnaForm,
  MeasureForm,
  PhotoForm,
  ReleaseForm,
} from './part-forms';
import { Referrals } from './referrals';
import { AcknowledgedMark } from './releases';
import { EMPTY_PERSONAL, type PersonalData, PersonalForm, personalBody } from './personal-form';

/** Loads a person with the case's reason; `version` from the ETag. */
function usePerson(id: string, reason: string) {
  const { api } = useSession();
  const [person, setPerson] = useState<Person | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    try {
      const { data, etag } = await api.get<Person>(`/persons/${id}`, { reason });
      setPerson({ ...data, version: versionOf(etag) ?? data.version });
    } catch (failure) {
      setError(failure);
    }
  }, [api, id, reason]);
  useEffect(() => {
    void load();
  }, [load]);
  return { person, error, load };
}

export function PersonPage({ id }: { id: string }) {
  return <ReasonGate caseKey={`person:${id}`}>{(reason) => <PersonDetail id={id} reason={reason} />}</ReasonGate>;
}

/** The parts of the person's page, each a tab; the chosen one is in the address (`?tab=measures`). */
export const PERSON_TABS = ['identity', 'addresses', 'measures', 'convictions', 'acts', 'history'] as const;
export type PersonTab = (typeof PERSON_TABS)[number];
const TAB_WORDS: Record<PersonTab, MessageKey> = {
  identity: 'tabIdentity',
  addresses: 'tabAddresses',
  measures: 'tabMeasures',
  convictions: 'tabConvictions',
  acts: 'tabActs',
  history: 'tabHistory',
};

/** The tabs with something for the user's role: acts and history only for the roles that read some of them. */
function tabsFor(ability: Ability): PersonTab[] {
  const acts =
    ['CheckIn', 'Notification', 'Breach', 'Counselling', 'Referral'].some((on) => ability.can('read', on)) ||
    ability.can('create', 'Disclosure');
  const history = ability.can('read', 'PersonHistory') || ability.can('export', 'CaseFile');
  return PERSON_TABS.filter((tab) => (tab === 'acts' ? acts : tab === 'history' ? history : true));
}

function tabInAddress(tabs: PersonTab[]): PersonTab {
  const named = new URLSearchParams(window.location.search).get('tab');
  return tabs.find((tab) => tab === named) ?? 'identity';
}

/** The chosen tab, kept in the address so that a reload or going back opens it again. */
function useTab(tabs: PersonTab[]): [PersonTab, (tab: PersonTab) => void] {
  const [tab, setTab] = useState<PersonTab>(() => tabInAddress(tabs));
  const known = tabs.join();
  useEffect(() => {
    const update = () => setTab(tabInAddress(known.split(',') as PersonTab[]));
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, [known]);
  const choose = (next: PersonTab) => {
    const url = new URL(window.location.href);
    url.searchParams.set('tab', next);
    window.history.replaceState(window.history.state, '', url);
    setTab(next);
  };
  return [tab, choose];
}

/** The tab list (arrow keys, Home and End move between tabs; the focused one opens). */
function PersonTabs({
  tabs,
  tab,
  onChoose,
}: {
  tabs: PersonTab[];
  tab: PersonTab;
  onChoose: (tab: PersonTab) => void;
}) {
  const { t } = useT();
  const refs = useRef<Partial<Record<PersonTab, HTMLButtonElement | null>>>({});
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const at = tabs.indexOf(tab);
    const to =
      event.key === 'ArrowRight'
        ? (at + 1) % tabs.length
        : event.key === 'ArrowLeft'
          ? (at - 1 + tabs.length) % tabs.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? tabs.length - 1
              : null;
    if (to === null) return;
    event.preventDefault();
    onChoose(tabs[to]);
    refs.current[tabs[to]]?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label={t('personTabs')} onKeyDown={onKeyDown}>
      {tabs.map((name) => (
        <button
          key={name}
          ref={(element) => {
            refs.current[name] = element;
          }}
          type="button"
          role="tab"
          id={`tab-${name}`}
          aria-selected={tab === name}
          aria-controls={`panel-${name}`}
          tabIndex={tab === name ? 0 : -1}
          onClick={() => onChoose(name)}
        >
          {t(TAB_WORDS[name])}
        </button>
      ))}
    </div>
  );
}

function PersonDetail({ id, reason }: { id: string; reason: string }) {
  const { t, v, language } = useT();
  const { person, error, load } = usePerson(id, reason);
  const { ability } = useSession();
  const tabs = tabsFor(ability);
  const [tab, chooseTab] = useTab(tabs);
  if (error) return <ErrorMessage error={error} />;
  if (!person) return <p>{t('loading')}</p>;
  const p = person;
  return (
    <article aria-labelledby="person-title" className="person">
      <header className="person-header">
        <h1 id="person-title">
          {p.surname}, {p.givenNames}
        </h1>
        <dl className="person-id" data-testid="person-id">
          <div>
            <dt>{t('jmbg')}</dt>
            <dd data-testid="person-jmbg">{p.jmbg ?? '—'}</dd>
          </div>
          <div>
            <dt>{t('dateOfBirth')}</dt>
            <dd data-testid="person-dob">{formatDate(p.dateOfBirth, language)}</dd>
          </div>
          <div>
            <dt>{t('status')}</dt>
            <dd data-testid="compliance-status">
              <span className={`status ${p.compliance.status}`}>{v(p.compliance.status)}</span>
            </dd>
          </div>
        </dl>
        <p className="actions">
          <Can I="update" a="Person">
            <Link to={`/persons/${p.id}/edit`}>{t('edit')}</Link>
          </Can>
        </p>
      </header>
      <PersonTabs tabs={tabs} tab={tab} onChoose={chooseTab} />
      <div
        role="tabpanel"
        id={`panel-${tab}`}
        aria-labelledby={`tab-${tab}`}
        tabIndex={0}
        className="tab-panel"
        data-testid={`panel-${tab}`}
      >
        {tab === 'identity' && <IdentityTab person={p} reason={reason} onChange={load} />}
        {tab === 'addresses' && <AddressesTab person={p} reason={reason} onChange={load} />}
        {tab === 'measures' && <MeasuresTab person={p} reason={reason} onChange={load} />}
        {tab === 'convictions' && <ConvictionsTab person={p} reason={reason} onChange={load} />}
        {tab === 'acts' && <ActsTab person={p} reason={reason} onChange={load} />}
        {tab === 'history' && <HistoryTab person={p} reason={reason} />}
      </div>
    </article>
  );
}

interface TabProps {
  person: Person;
  reason: string;
  onChange: () => void;
}

function IdentityTab({ person: p, reason, onChange }: TabProps) {
  const { t, language } = useT();
  return (
    <>
      <div className="columns">
        <section className="card" aria-labelledby="pd">
          <h2 id="pd">{t('personalData')}</h2>
          <dl className="facts">
            <dt>{t('jmbg')}</dt>
            <dd>{p.jmbg ?? '—'}</dd>
            <dt>{t('dateOfBirth')}</dt>
            <dd>{formatDate(p.dateOfBirth, language)}</dd>
            <dt>{t('placeOfBirth')}</dt>
            <dd>{p.placeOfBirth}</dd>
            <dt>{t('sex')}</dt>
            <dd>{p.sex === 'M' ? t('male') : t('female')}</dd>
            <dt>{t('citizenship')}</dt>
            <dd>{p.citizenship}</dd>
            <dt>{t('parentNames')}</dt>
            <dd>{p.parentNames ?? '—'}</dd>
            <dt>{t('aliases')}</dt>
            <dd>{p.aliases.join(', ') || '—'}</dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="ds">
          <h2 id="ds">{t('description')}</h2>
          {p.physicalDescription ? (
            <p>
              {p.physicalDescription.heightCm} cm
              {p.physicalDescription.weightKg ? `, ${p.physicalDescription.weightKg} kg` : ''},{' '}
              {p.physicalDescription.eyeColour}, {p.physicalDescription.hairColour}
              {p.physicalDescription.distinguishingMarks.map((m) => `; ${m.bodyPart}: ${m.description}`).join('')}
            </p>
          ) : (
            <p>{t('notRecorded')}</p>
          )}
          <Photos person={p} reason={reason} />
        </section>
        {p.dnaReference !== undefined && (
          <section className="card" aria-labelledby="dn">
            <h2 id="dn">{t('dna')}</h2>
            <p data-testid="dna-reference">
              {p.dnaReference
                ? `${p.dnaReference.laboratory} · ${p.dnaReference.sampleId} · ${p.dnaReference.profileReference} · ${formatDate(p.dnaReference.collectedOn, language)}`
                : t('notRecorded')}
            </p>
          </section>
        )}
      </div>
      <Can I="create" a="Person">
        <h2>{t('recordPart')}</h2>
        <div className="columns">
          <DescriptionForm person={p} reason={reason} onSaved={onChange} />
          <PhotoForm person={p} reason={reason} onSaved={onChange} />
          <DnaForm person={p} reason={reason} onSaved={onChange} />
        </div>
      </Can>
    </>
  );
}

function AddressesTab({ person: p, reason, onChange }: TabProps) {
  const { t } = useT();
  return (
    <>
      <section className="card" aria-labelledby="ad">
        <h2 id="ad">{t('addresses')}</h2>
        {(['permanent', 'temporary'] as const).map((kind) => {
          const a = p.currentAddresses[kind];
          return (
            <p key={kind}>
              <strong>{t(kind)}:</strong>{' '}
              {a ? `${a.street}, ${a.postalCode} ${a.city} (${a.policeAdministration})` : t('notRecorded')}
            </p>
          );
        })}
      </section>
      <Can I="record" a="AddressCheck">
        <AddressCheckForm person={p} reason={reason} onDone={onChange} />
      </Can>
      <Can I="create" a="Person">
        <AddressForm person={p} reason={reason} onSaved={onChange} />
      </Can>
    </>
  );
}

function MeasuresTab({ person: p, reason, onChange }: TabProps) {
  const { t, v, language } = useT();
  return (
    <>
      <div className="columns">
        <section className="card" aria-labelledby="cp">
          <h2 id="cp">{t('compliance')}</h2>
          <dl className="facts">
            <dt>{t('status')}</dt>
            <dd>
              <span className={`status ${p.compliance.status}`}>{v(p.compliance.status)}</span>
            </dd>
            <dt>{t('nextDueAt')}</dt>
            <dd data-testid="next-due">{formatDue(p.compliance.nextDueAt, language)}</dd>
            <dt>{t('lastCheckInAt')}</dt>
            <dd>{formatTime(p.compliance.lastCheckInAt, language)}</dd>
          </dl>
          <Can I="record" a="CheckIn">
            <PersonCheckIn personId={p.id} measures={p.measures} reason={reason} onDone={onChange} />
          </Can>
        </section>
        <section className="card" aria-labelledby="ms">
          <h2 id="ms">{t('measures')}</h2>
          {p.measures.length === 0 && <p>{t('notRecorded')}</p>}
          <ul data-testid="measures">
            {p.measures.map((m) => (
              <li key={m.id}>
                <MeasureLine measure={m} />
              </li>
            ))}
          </ul>
        </section>
      </div>
      <Can I="read" a="Acknowledgement">
        <Acknowledgements person={p} reason={reason} onChange={onChange} />
      </Can>
      <Can I="create" a="Person">
        <MeasureForm person={p} reason={reason} onSaved={onChange} />
      </Can>
    </>
  );
}

function ConvictionsTab({ person: p, reason, onChange }: TabProps) {
  const { t } = useT();
  return (
    <>
      <section className="card" aria-labelledby="cv">
        <h2 id="cv">{t('convictions')}</h2>
        {p.convictions.length === 0 && <p>{t('notRecorded')}</p>}
        <ul className="list">
          {p.convictions.map((c) => (
            <li key={c.id} data-testid="conviction">
              <ConvictionLine conviction={c} />
              {c.sentence.kind === 'imprisonment' && (
                <Can I="update" a="Conviction">
                  <ReleaseForm person={p} conviction={c} reason={reason} onSaved={onChange} />
                </Can>
              )}
            </li>
          ))}
        </ul>
      </section>
      <Can I="create" a="Person">
        <ConvictionForm person={p} reason={reason} onSaved={onChange} />
      </Can>
    </>
  );
}

/** What was done under the measures: check-ins, notifications, breaches, counselling, referrals, disclosures. */
function ActsTab({ person: p, reason, onChange }: TabProps) {
  // A void resolves alerts and takes a breach out of what may be referred: the referrals load again.
  const [voids, setVoids] = useState(0);
  const voided = useCallback(() => {
    setVoids((n) => n + 1);
    onChange();
  }, [onChange]);
  return (
    <>
      <div className="columns">
        <Can I="read" a="CheckIn">
          <CheckInList personId={p.id} measures={p.measures} reason={reason} onVoided={voided} />
        </Can>
        <Can I="read" a="Notification">
          <NotificationList personId={p.id} measures={p.measures} reason={reason} onVoided={voided} />
        </Can>
        <Can I="read" a="Breach">
          <BreachList personId={p.id} measures={p.measures} reason={reason} onVoided={voided} />
        </Can>
        <Can I="read" a="Counselling">
          <CounsellingList personId={p.id} measures={p.measures} reason={reason} onVoided={voided} />
        </Can>
      </div>
      <Can I="record" a="Notification">
        <NotificationForm personId={p.id} reason={reason} onDone={onChange} />
        <TravelReturns personId={p.id} reason={reason} />
      </Can>
      <Can I="read" a="Referral">
        <Referrals key={voids} personId={p.id} reason={reason} onChange={onChange} />
      </Can>
      <Can I="create" a="Disclosure">
        <DisclosureForm personId={p.id} reason={reason} />
      </Can>
    </>
  );
}

function HistoryTab({ person: p, reason }: { person: Person; reason: string }) {
  const { t } = useT();
  return (
    <>
      <Can I="export" a="CaseFile">
        <CaseFileDownload person={p} reason={reason} />
      </Can>
      <Can I="read" a="PersonHistory">
        <p className="actions">
          <Link to={`/persons/${p.id}/history`}>{t('history')}</Link>
        </p>
        <History id={p.id} reason={reason} />
      </Can>
    </>
  );
}

/** A conviction: court, case, articles; for imprisonment, custody and the expected and actual release. */
function ConvictionLine({ conviction: c }: { conviction: Conviction }) {
  const { t, v, language } = useT();
  return (
    <>
      {c.court}, {c.caseNumber}, {c.offences.map((o) => `${t('articleShort')} ${o.article}`).join(', ')} ·{' '}
      {v(c.sentence.kind)}
      {c.sentence.kind === 'imprisonment' ? (
        <dl className="facts">
          <dt>{t('custodyFrom')}</dt>
          <dd>{formatDate(c.custodyFrom, language)}</dd>
          <dt>{t('expectedRelease')}</dt>
          <dd>{formatDate(c.releaseDate, language)}</dd>
          <dt>{t('actualRelease')}</dt>
          <dd data-testid="actual-release">
            {c.releasedOn
              ? `${formatDate(c.releasedOn, language)}${c.releaseFacility ? ` · ${c.releaseFacility}` : ''}`
              : '—'}
          </dd>
        </dl>
      ) : (
        <>
          {' '}
          · {t('releaseDate')}: {formatDate(c.releaseDate, language)}
        </>
      )}
    </>
  );
}

/** A measure: type, days, where and how often the person reports (in words), status, whether acknowledged. */
function MeasureLine({ measure: m }: { measure: Measure }) {
  const { t, v, language } = useT();
  return (
    <>
      {v(m.type)} · {formatDate(m.startsOn, language)} – {formatDate(m.endsOn, language)}
      {m.reportTo && (
        <>
          {' '}
          · {m.reportTo}
          {m.schedule
            ? `: ${scheduleWords(m.schedule, language)}`
            : m.everyDays
              ? `: ${scheduleWords({ kind: 'every_days', everyDays: m.everyDays }, language)}`
              : ''}
        </>
      )}
      {m.uiks && (
        <>
          {' '}
          · {m.uiks.office}: {scheduleWords(m.uiks.schedule, language)}
        </>
      )}
      {m.counselling && (
        <>
          {' '}
          · {m.counselling.institution}: {scheduleWords(m.counselling.schedule, language)}
        </>
      )}{' '}
      · {v(m.status)}
      {(m.compliance ?? []).map((c) => (
        <span key={`${c.authority}:${c.office ?? ''}`}>
          {' '}
          ·{' '}
          {c.authority === 'uiks'
            ? (c.office ?? 'UIKS')
            : c.authority === 'counselling'
              ? v('counselling')
              : t('police')}
          : <span className={`status ${c.status}`}>{v(c.status)}</span>
          {c.nextDueAt && ` (${t('dueDate')} ${formatDue(c.nextDueAt, language)})`}
        </span>
      ))}
      {m.acknowledged !== undefined && (
        <>
          {' '}
          · <AcknowledgedMark acknowledged={m.acknowledged} />
        </>
      )}
    </>
  );
}

/** Stored photos come with the token and reason, so they are read as data and shown as data: URLs. */
function Photos({ person, reason }: { person: Person; reason: string }) {
  const { t, language } = useT();
  const { api } = useSession();
  const [urls, setUrls] = useState<Record<string, string>>({});
  useEffect(() => {
    let live = true;
    for (const photo of person.photos) {
      void api.get<Blob>(`/persons/${person.id}/photos/${photo.id}`, { reason, as: 'blob' }).then(({ data }) => {
        const reader = new FileReader();
        reader.onload = () => live && setUrls((u) => ({ ...u, [photo.id]: String(reader.result) }));
        reader.readAsDataURL(data);
      });
    }
    return () => {
      live = false;
    };
  }, [api, person, reason]);
  if (person.photos.length === 0) return null;
  return (
    <div className="photos">
      {person.photos.map((photo) =>
        urls[photo.id] ? (
          <img
            key={photo.id}
            className="photo"
            src={urls[photo.id]}
            alt={`${t('photos')} ${formatTime(photo.takenAt, language)}`}
          />
        ) : null,
      )}
    </div>
  );
}

export function PersonSearch() {
  const { t } = useT();
  return (
    <section>
      <h1>{t('persons')}</h1>
      <ReasonGate caseKey="search">{(reason) => <Search reason={reason} />}</ReasonGate>
    </section>
  );
}

function Search({ reason }: { reason: string }) {
  const { t, v, language } = useT();
  const { api } = useSession();
  const [q, setQ] = useState('');
  const [items, setItems] = useState<Person[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const query = /^\d{13}$/.test(q) ? { jmbg: q } : { q };
      setItems((await api.get<Page<Person>>('/persons', { reason, query: { ...query, limit: 50 } })).data.items);
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <>
      <form className="card inline" onSubmit={submit} role="search">
        <Field
          label={`${t('searchName')} / ${t('jmbg')}`}
          value={q}
          minLength={3}
          required
          onChange={(e) => setQ(e.target.value)}
        />
        <button type="submit">{t('search')}</button>
      </form>
      <ErrorMessage error={error} />
      {items && (
        <ul className="list card">
          {items.length === 0 && <li>{t('nothing')}</li>}
          {items.map((p) => (
            <li key={p.id}>
              <Link to={`/persons/${p.id}`}>
                {p.surname}, {p.givenNames}
              </Link>{' '}
              · {formatDate(p.dateOfBirth, language)} ·{' '}
              <span className={`status ${p.compliance.status}`}>{v(p.compliance.status)}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export function NewPerson() {
  const { t } = useT();
  return (
    <section>
      <h1>{t('newPerson')}</h1>
      <ReasonGate caseKey="new-person">{(reason) => <CreatePerson reason={reason} />}</ReasonGate>
    </section>
  );
}

function CreatePerson({ reason }: { reason: string }) {
  const { t } = useT();
  const { api } = useSession();
  const [error, setError] = useState<unknown>(null);
  const submission = useSubmission();
  const create = async (data: PersonalData) => {
    setError(null);
    try {
      const sent = await submission.run((idempotencyKey) =>
        api.post<Person>('/persons', personalBody(data), { reason, idempotencyKey }),
      );
      if (!sent) return;
      const person = sent.data;
      // The case goes on with the new person: no second prompt.
      rememberReason(`person:${person.id}`, reason);
      navigate(`/persons/${person.id}`);
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <>
      <PersonalForm initial={EMPTY_PERSONAL} onSubmit={create} submitLabel={t('create')} />
      <ErrorMessage error={error} />
    </>
  );
}

export function personalOf(p: Person): PersonalData {
  return {
    surname: p.surname,
    givenNames: p.givenNames,
    parentNames: p.parentNames ?? '',
    jmbg: p.jmbg ?? '',
    dateOfBirth: p.dateOfBirth,
    placeOfBirth: p.placeOfBirth,
    sex: p.sex,
    citizenship: p.citizenship,
    aliases: p.aliases.join(', '),
    idType: p.identityDocument?.type ?? 'passport',
    idNumber: p.identityDocument?.number ?? '',
    idCountry: p.identityDocument?.issuingCountry ?? '',
  };
}

export function EditPerson({ id }: { id: string }) {
  const { t } = useT();
  return (
    <section>
      <h1>
        {t('edit')}: {t('personalData')}
      </h1>
      <ReasonGate caseKey={`person:${id}`}>{(reason) => <Edit id={id} reason={reason} />}</ReasonGate>
    </section>
  );
}

/** A correction with If-Match; on 412 the current version is read again and the differences shown. */
function Edit({ id, reason }: { id: string; reason: string }) {
  const { t, language } = useT();
  const { api } = useSession();
  const { person, error: loadError } = usePerson(id, reason);
  const [base, setBase] = useState<Person | null>(null);
  const [conflict, setConflict] = useState<{ diffs: FieldDiff[]; theirs: Person; mine: PersonalData } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [formKey, setFormKey] = useState(0);
  const edited = base ?? person;
  if (loadError) return <ErrorMessage error={loadError} />;
  if (!edited) return <p>{t('loading')}</p>;

  const save = async (data: PersonalData, against: Person) => {
    setError(null);
    try {
      await api.request('PATCH', `/persons/${id}`, {
        body: personalBody(data, true),
        reason,
        version: against.version,
      });
      navigate(`/persons/${id}`);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 412) {
        const { data: current, etag } = await api.get<Person>(`/persons/${id}`, { reason });
        const theirs = { ...current, version: versionOf(etag) ?? current.version };
        setConflict({
          theirs,
          mine: data,
          diffs: diffVersions(
            personalOf(against) as unknown as Record<string, unknown>,
            data as unknown as Record<string, unknown>,
            personalOf(theirs) as unknown as Record<string, unknown>,
          ),
        });
      } else setError(failure);
    }
  };

  return (
    <>
      {conflict && (
        <section className="card conflict" role="alert" aria-labelledby="conflict-title">
          <h2 id="conflict-title">{t('conflict')}</h2>
          <p>{t('conflictHelp')}</p>
          <table data-testid="conflict-diff">
            <thead>
              <tr>
                <th scope="col">{t('field')}</th>
                <th scope="col">{t('before')}</th>
                <th scope="col">{t('theirs')}</th>
                <th scope="col">{t('yours')}</th>
              </tr>
            </thead>
            <tbody>
              {conflict.diffs.map((d) => (
                <tr key={d.field} className={d.changedByOthers ? 'changed' : ''}>
                  <th scope="row">{d.field}</th>
                  <td>{show(d.base, language)}</td>
                  <td>{show(d.theirs, language)}</td>
                  <td>{show(d.mine, language)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <button
            type="button"
            onClick={() => {
              // The current version, with only the fields this user changed put over it: the other change stays.
              const { theirs, diffs } = conflict;
              setConflict(null);
              setBase(theirs);
              void save(mergeMine(personalOf(theirs), diffs), theirs);
            }}
          >
            {t('applyAgain')}
          </button>{' '}
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setBase(conflict.theirs);
              setConflict(null);
              setFormKey((k) => k + 1);
            }}
          >
            {t('cancel')}
          </button>
        </section>
      )}
      <PersonalForm
        key={formKey}
        initial={personalOf(edited)}
        onSubmit={(d) => save(d, edited)}
        submitLabel={t('save')}
      />
      <ErrorMessage error={error} />
    </>
  );
}

export function HistoryPage({ id }: { id: string }) {
  const { t } = useT();
  return (
    <section>
      <h1>{t('history')}</h1>
      <p>
        <Link to={`/persons/${id}`}>{t('person')}</Link>
      </p>
      <ReasonGate caseKey={`person:${id}`}>{(reason) => <History id={id} reason={reason} />}</ReasonGate>
    </section>
  );
}

function History({ id, reason }: { id: string; reason: string }) {
  const { t, language } = useT();
  const { api } = useSession();
  const [items, setItems] = useState<HistoryItem[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const more = useCallback(
    async (from?: string | null) => {
      try {
        const { data } = await api.get<Page<HistoryItem>>(`/persons/${id}/history`, {
          reason,
          query: { limit: 50, cursor: from ?? undefined },
        });
        setItems((list) => (from ? [...list, ...data.items] : data.items));
        setCursor(data.nextCursor);
      } catch (failure) {
        setError(failure);
      }
    },
    [api, id, reason],
  );
  useEffect(() => {
    void more();
  }, [more]);
  if (error) return <ErrorMessage error={error} />;
  return (
    <div className="card">
      <table data-testid="history">
        <thead>
          <tr>
            <th scope="col">{t('at')}</th>
            <th scope="col">{t('actor')}</th>
            <th scope="col">{t('change')}</th>
            <th scope="col">{t('reason')}</th>
            <th scope="col">{t('changedFields')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item, i) => (
            <tr key={i} data-testid="history-entry">
              <td className="nowrap">{formatTime(item.at, language)}</td>
              <td>{item.actor.username ?? '—'}</td>
              <td>{historyWords(item.part, item.change, language)}</td>
              <td>{item.reason ?? '—'}</td>
              <td>
                <FieldChanges before={item.before} after={item.after} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {cursor && (
        <button type="button" onClick={() => more(cursor)}>
          {t('more')}
        </button>
      )}
    </div>
  );
}

/** What an entry changed, field by field: each field by its label, the old value struck through, then the new one. */
function FieldChanges({ before, after }: { before: unknown; after: unknown }) {
  const { language } = useT();
  const changes = changedFields(before, after);
  if (changes.length === 0) return <>—</>;
  return (
    <ul className="plain changes">
      {changes.map((c) => (
        <li key={c.field}>
          <strong>{fieldWords(c.field, language)}</strong>:{' '}
          {c.before !== undefined && (
            <>
              <del>{show(c.before, language)}</del> →{' '}
            </>
          )}
          <ins>{show(c.after, language)}</ins>
        </li>
      ))}
    </ul>
  );
}
