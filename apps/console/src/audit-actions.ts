import type { Language } from './i18n';

/**
 * The audit log's actions in words, for the auditor's picker and the event
 * list. An action missing here is shown as its code (and still searchable).
 */
const ACTIONS: Record<string, [sr: string, en: string]> = {
  'person.create': ['Upis lica', 'Person recorded'],
  'person.read': ['Uvid u lice', 'Person read'],
  'person.update': ['Izmena ličnih podataka', 'Person corrected'],
  'person.search': ['Pretraga lica', 'Person search'],
  'person.lookup': ['Provera u drugim regionima', 'Cross-region lookup'],
  'person.lookup_sweep': ['Sumnja na masovnu proveru', 'Suspected lookup sweep'],
  'person.history': ['Uvid u istoriju izmena', 'Change history read'],
  'address.create': ['Upis adrese', 'Address recorded'],
  'address.list': ['Uvid u adrese', 'Addresses read'],
  'address.update': ['Izmena adrese', 'Address corrected'],
  'address_check.create': ['Provera adrese', 'Address check recorded'],
  'address_check.list': ['Uvid u provere adrese', 'Address checks read'],
  'address_check.void': ['Poništena provera adrese', 'Address check voided'],
  'workplace.create': ['Upis zaposlenja', 'Workplace recorded'],
  'workplace.list': ['Uvid u zaposlenja', 'Workplaces read'],
  'workplace.update': ['Izmena zaposlenja', 'Workplace corrected'],
  'photo.create': ['Upis fotografije', 'Photo added'],
  'photo.list': ['Uvid u fotografije', 'Photos listed'],
  'photo.read': ['Uvid u fotografiju', 'Photo read'],
  'physical_description.put': ['Upis opisa', 'Description recorded'],
  'dna_reference.put': ['Upis DNK oznake', 'DNA reference recorded'],
  'conviction.create': ['Upis presude', 'Conviction recorded'],
  'conviction.list': ['Uvid u presude', 'Convictions read'],
  'conviction.update': ['Izmena presude', 'Conviction corrected'],
  'release.record': ['Upis otpuštanja', 'Release recorded'],
  'measure.create': ['Upis mere', 'Measure recorded'],
  'measure.list': ['Uvid u mere', 'Measures read'],
  'measure.update': ['Izmena mere', 'Measure corrected'],
  'acknowledgement.create': ['Upis potvrde o upoznavanju', 'Acknowledgement recorded'],
  'acknowledgement.list': ['Uvid u potvrde o upoznavanju', 'Acknowledgements read'],
  'acknowledgement.read': ['Preuzimanje potvrde', 'Acknowledgement form read'],
  'acknowledgement.update': ['Izmena potvrde o upoznavanju', 'Acknowledgement corrected'],
  'acknowledgement.void': ['Poništena potvrda o upoznavanju', 'Acknowledgement voided'],
  'check_in.create': ['Upis javljanja', 'Check-in recorded'],
  'check_in.list': ['Uvid u javljanja', 'Check-ins read'],
  'check_in.void': ['Poništeno javljanje', 'Check-in voided'],
  'counselling.create': ['Upis savetovanja', 'Counselling attendance recorded'],
  'counselling.list': ['Uvid u savetovanja', 'Counselling read'],
  'counselling.update': ['Izmena savetovanja', 'Counselling corrected'],
  'notification.create': ['Upis obaveštenja', 'Notification recorded'],
  'notification.list': ['Uvid u obaveštenja', 'Notifications read'],
  'notification.return': ['Upis povratka sa putovanja', 'Return from travel recorded'],
  'notification.void': ['Poništeno obaveštenje', 'Notification voided'],
  'breach.create': ['Upis kršenja mere', 'Breach recorded'],
  'breach.list': ['Uvid u kršenja mera', 'Breaches read'],
  'breach.update': ['Izmena kršenja mere', 'Breach corrected'],
  'arrival.create': ['Upis dolaska u upravu', 'Arrival recorded'],
  'arrival.list': ['Uvid u dolaske', 'Arrivals read'],
  'alert.list': ['Uvid u upozorenja', 'Alerts read'],
  'alert.read': ['Uvid u upozorenje', 'Alert read'],
  'alert.acknowledge': ['Upozorenje primljeno k znanju', 'Alert acknowledged'],
  'alert.resolve': ['Upozorenje rešeno', 'Alert resolved'],
  'inbox.list': ['Uvid u prijemno sanduče', 'Inbox read'],
  'inbox.read': ['Poruka pročitana', 'Inbox item read'],
  'compliance.overdue': ['Spisak onih koji kasne', 'Overdue list'],
  'compliance.due': ['Spisak skorih rokova', 'Due-soon list'],
  'compliance.releases': ['Spisak otpuštanja', 'Release list'],
  'compliance.address_checks_due': ['Spisak adresa za proveru', 'Address checks due'],
  'compliance.proximity': ['Blizina mesta sa maloletnicima', 'Proximity list'],
  'compliance.scan': ['Provera rokova (sistem)', 'Compliance scan (system)'],
  'reference.read': ['Uvid u šifarnik', 'Reference data read'],
  'reference.create': ['Dodavanje u šifarnik', 'Reference data added'],
  'reference.update': ['Izmena šifarnika', 'Reference data changed'],
  'reference.history': ['Istorija šifarnika', 'Reference data history'],
  'auth.login': ['Prijava', 'Sign-in'],
  'auth.logout': ['Odjava', 'Sign-out'],
  'auth.refresh': ['Obnova sesije', 'Session refresh'],
  'auth.me': ['Uvid u sopstveni nalog', 'Own account read'],
  'auth.password_change': ['Promena lozinke', 'Password change'],
  'auth.mfa_enroll': ['Podešavanje autentifikatora', 'Authenticator enrolment'],
  'auth.mfa_activate': ['Aktiviranje autentifikatora', 'Authenticator activated'],
  'user.create': ['Novi nalog', 'Account created'],
  'user.list': ['Uvid u naloge', 'Accounts listed'],
  'user.read': ['Uvid u nalog', 'Account read'],
  'user.update': ['Izmena naloga', 'Account changed'],
  'user.reset_password': ['Nova lozinka za nalog', 'Password reset'],
  'user.reset_mfa': ['Poništen autentifikator', 'Authenticator reset'],
  'user.revoke_sessions': ['Prekinute sesije', 'Sessions ended'],
  'user.role_change_list': ['Uvid u izmene koje čekaju', 'Pending changes read'],
  'user.role_change_confirm': ['Potvrđena izmena naloga', 'Account change confirmed'],
  'audit.search': ['Pretraga revizorskog traga', 'Audit search'],
  'audit.review': ['Pregled događaja', 'Event reviewed'],
  'audit.verify': ['Provera celovitosti', 'Integrity check'],
  'audit.export': ['Izvoz revizorskog traga', 'Audit export'],
  'audit.checkpoint': ['Kontrolna tačka', 'Checkpoint'],
  'audit.keys': ['Ključevi pečata', 'Sealing keys'],
  'route.unknown': ['Nepostojeća adresa', 'Unknown address'],
};

/** An action in words, else its code. */
export function actionWords(action: string, language: Language): string {
  const words = ACTIONS[action];
  return words ? words[language === 'sr' ? 0 : 1] : action;
}

/** The actions to pick from, in words, sorted as the language sorts them. */
export function actionChoices(language: Language): [string, string][] {
  const locale = language === 'sr' ? 'sr-Latn' : 'en';
  return Object.keys(ACTIONS)
    .map((code): [string, string] => [code, actionWords(code, language)])
    .sort((a, b) => a[1].localeCompare(b[1], locale));
}
