import type { Problem } from './api/client';
import type { Language } from './i18n';

/** A text in both languages. */
export type Words = [sr: string, en: string];

/** Every problem code of the contract, as a title and what the user can do about it. */
const PROBLEMS: Record<string, { title: Words; detail: Words }> = {
  validation: {
    title: ['Podaci nisu ispravni', 'The request is not valid'],
    detail: ['Ispravite označena polja i pokušajte ponovo.', 'Correct the fields named below and try again.'],
  },
  reason_required: {
    title: ['Potreban je razlog pristupa', 'An access reason is required'],
    detail: ['Unesite razlog pristupa (broj predmeta).', 'Give the access reason (a case number).'],
  },
  unauthenticated: {
    title: ['Niste prijavljeni', 'You are not signed in'],
    detail: ['Prijavite se ponovo.', 'Sign in again.'],
  },
  otp_required: {
    title: ['Potreban je kod iz aplikacije', 'A one-time code is required'],
    detail: ['Unesite šestocifreni kod.', 'Enter the six-digit code.'],
  },
  password_change_required: {
    title: ['Lozinka mora da se promeni', 'The password must be changed first'],
    detail: ['Postavite novu lozinku.', 'Set a new password.'],
  },
  mfa_enrollment_required: {
    title: ['Potrebna je dvostruka prijava', 'Two-factor sign-in must be set up'],
    detail: ['Podesite aplikaciju za autentifikaciju.', 'Set up an authenticator app.'],
  },
  forbidden: {
    title: ['Nije dozvoljeno', 'Not allowed'],
    detail: ['Vaša uloga nema pravo na ovu radnju.', 'Your role may not do this.'],
  },
  not_found: {
    title: ['Nije pronađeno', 'Not found'],
    detail: [
      'Zapis ne postoji ili vam nije dostupan (druga uprava ili kancelarija).',
      'The record does not exist or is not yours to see (another administration or office).',
    ],
  },
  method_not_allowed: {
    title: ['Radnja nije podržana', 'Not supported'],
    detail: ['Ova radnja ne postoji na ovoj adresi.', 'This action does not exist here.'],
  },
  conflict: {
    title: ['Sukob sa trenutnim stanjem', 'Conflict with the current state'],
    detail: [
      'Zapis je u međuvremenu promenjen ili radnja već izvršena; osvežite stranicu.',
      'The record changed meanwhile or the action was already done; reload the page.',
    ],
  },
  precondition_required: {
    title: ['Nedostaje verzija zapisa', 'The record version is missing'],
    detail: ['Osvežite stranicu i ponovite izmenu.', 'Reload the page and make the change again.'],
  },
  version_mismatch: {
    title: ['Zapis je u međuvremenu promenjen', 'The record has changed'],
    detail: [
      'Neko je izmenio zapis posle vašeg čitanja: prikazano je novo stanje, ponovite izmenu.',
      'Someone changed it after you read it: the new state is shown, make your change again.',
    ],
  },
  idempotency_mismatch: {
    title: ['Ponovljeno slanje se razlikuje', 'The repeated request differs'],
    detail: ['Pošaljite obrazac ponovo.', 'Send the form again.'],
  },
  rate_limited: {
    title: ['Previše zahteva', 'Too many requests'],
    detail: ['Sačekajte malo pa pokušajte ponovo.', 'Wait a moment and try again.'],
  },
  payload_too_large: {
    title: ['Prevelik sadržaj', 'Too large'],
    detail: ['Datoteka ili obrazac je prevelik.', 'The file or form is too large.'],
  },
  unsupported_media_type: {
    title: ['Nepodržana vrsta datoteke', 'Unsupported file type'],
    detail: ['Pošaljite PDF, JPEG ili PNG.', 'Send a PDF, JPEG or PNG.'],
  },
  unavailable: {
    title: ['Servis trenutno nije dostupan', 'The service is unavailable'],
    detail: ['Pokušajte ponovo za nekoliko trenutaka.', 'Try again in a few moments.'],
  },
  internal: {
    title: ['Greška na serveru', 'Server error'],
    detail: ['Greška je zabeležena; pokušajte ponovo.', 'The error is logged; try again.'],
  },
};

/** What the user can do about a problem that names its case (the extension member `code`). */
const CASES: Record<string, Words> = {
  breach_referred: [
    'Povredu navodi prijava tužilaštvu koja nije poništena; prvo poništite prijavu.',
    'A referral that is not void names the breach; void the referral first.',
  ],
};

/** The api's field names (the last part of a path) as the forms name them. */
const FIELDS: Record<string, Words> = {
  surname: ['Prezime', 'Surname'],
  givenNames: ['Ime', 'Given names'],
  jmbg: ['JMBG', 'JMBG'],
  dateOfBirth: ['Datum rođenja', 'Date of birth'],
  placeOfBirth: ['Mesto rođenja', 'Place of birth'],
  sex: ['Pol', 'Sex'],
  citizenship: ['Državljanstvo', 'Citizenship'],
  parentNames: ['Imena roditelja', 'Parents’ names'],
  aliases: ['Druga imena', 'Aliases'],
  identityDocument: ['Isprava', 'Identity document'],
  number: ['Broj', 'Number'],
  issuingCountry: ['Država izdavanja', 'Issuing country'],
  street: ['Ulica i broj', 'Street'],
  city: ['Mesto', 'City'],
  postalCode: ['Poštanski broj', 'Postal code'],
  policeAdministration: ['Policijska uprava', 'Police administration'],
  policeAdministrations: ['Policijske uprave', 'Police administrations'],
  region: ['Policijska uprava', 'Police administration'],
  office: ['Kancelarija UIKS', 'UIKS office'],
  reportTo: ['Javlja se upravi', 'Reports to'],
  validFrom: ['Važi od', 'Valid from'],
  validUntil: ['Važi do', 'Valid until'],
  kind: ['Vrsta', 'Kind'],
  type: ['Vrsta', 'Type'],
  court: ['Sud', 'Court'],
  caseNumber: ['Broj predmeta', 'Case number'],
  judgmentDate: ['Datum presude', 'Judgment date'],
  finalityDate: ['Datum pravnosnažnosti', 'Date of finality'],
  offences: ['Krivična dela', 'Offences'],
  article: ['Član', 'Article'],
  paragraph: ['Stav', 'Paragraph'],
  victimAge: ['Uzrast žrtve', 'Victim’s age'],
  sentence: ['Kazna', 'Sentence'],
  months: ['Trajanje (meseci)', 'Length (months)'],
  releaseDate: ['Datum otpuštanja', 'Release date'],
  custodyFrom: ['Na izdržavanju od', 'In custody from'],
  releasedOn: ['Otpušten', 'Released on'],
  facility: ['Ustanova', 'Facility'],
  convictionId: ['Presuda', 'Conviction'],
  measureId: ['Mera', 'Measure'],
  measureIds: ['Mere', 'Measures'],
  startsOn: ['Početak', 'Starts on'],
  endsOn: ['Kraj', 'Ends on'],
  schedule: ['Raspored javljanja', 'Schedule'],
  everyDays: ['Na svakih (dana)', 'Every (days)'],
  weekdays: ['Dani u nedelji', 'Weekdays'],
  institution: ['Ustanova', 'Institution'],
  occurredAt: ['Vreme', 'Time'],
  place: ['Mesto', 'Place'],
  placeId: ['Mesto sa maloletnicima', 'Place with minors'],
  method: ['Način', 'Method'],
  notifiedAt: ['Obavešten', 'Notified at'],
  destinationCountry: ['Država odredišta', 'Destination country'],
  departOn: ['Polazak', 'Departure'],
  returnOn: ['Povratak', 'Return'],
  returnedOn: ['Vratio se', 'Returned on'],
  description: ['Opis', 'Description'],
  employer: ['Poslodavac', 'Employer'],
  involvesMinors: ['Rad sa maloletnicima', 'Work with minors'],
  publicOffice: ['Javna funkcija', 'Public office'],
  addressId: ['Adresa', 'Address'],
  checkedAt: ['Vreme provere', 'Checked at'],
  outcome: ['Ishod', 'Outcome'],
  note: ['Napomena', 'Note'],
  explainedOn: ['Datum upoznavanja', 'Explained on'],
  explainedBy: ['Upoznao', 'Explained by'],
  attendedOn: ['Datum dolaska', 'Attended on'],
  resolution: ['Rešenje', 'Resolution'],
  heightCm: ['Visina (cm)', 'Height (cm)'],
  weightKg: ['Težina (kg)', 'Weight (kg)'],
  eyeColour: ['Boja očiju', 'Eye colour'],
  hairColour: ['Boja kose', 'Hair colour'],
  distinguishingMarks: ['Posebni znaci', 'Distinguishing marks'],
  laboratory: ['Laboratorija', 'Laboratory'],
  sampleId: ['Oznaka uzorka', 'Sample id'],
  profileReference: ['Oznaka profila', 'Profile reference'],
  collectedOn: ['Datum uzimanja', 'Collected on'],
  username: ['Korisničko ime', 'Username'],
  password: ['Lozinka', 'Password'],
  newPassword: ['Nova lozinka', 'New password'],
  currentPassword: ['Trenutna lozinka', 'Current password'],
  displayName: ['Ime i prezime', 'Name'],
  organisation: ['Organizacija', 'Organisation'],
  email: ['E-pošta', 'E-mail'],
  role: ['Uloga', 'Role'],
  otp: ['Kod', 'Code'],
  from: ['Od', 'From'],
  to: ['Do', 'To'],
  metres: ['Udaljenost (m)', 'Distance (m)'],
  recipient: ['Primalac', 'Recipient'],
  code: ['Šifra', 'Code'],
  name: ['Naziv', 'Name'],
  title: ['Naziv', 'Title'],
  latitude: ['Geografska širina', 'Latitude'],
  longitude: ['Geografska dužina', 'Longitude'],
};

/** The server's messages (after the field's name), in Serbian; English shows the server's own words. */
const MESSAGES: [RegExp, string][] = [
  [/^is not a real date$/, 'nije stvaran datum'],
  [/must be (\d+) to (\d+) characters$/, 'mora imati od $1 do $2 znakova'],
  [/^must not be in the future$/, 'ne sme biti u budućnosti'],
  [/^must be a whole number( of .*)?$/, 'mora biti ceo broj'],
  [/^must be true or false$/, 'mora biti da ili ne'],
  [/^is not a known property$/, 'nije poznato polje'],
  [/^is not a known police administration code$/, 'nije poznata policijska uprava'],
  [/must be a code such as PU-/, 'izaberite policijsku upravu'],
  [/must be a UIKS office code/, 'izaberite kancelariju UIKS'],
  [/must be a UUID$/, 'nije ispravna oznaka zapisa'],
  [/must be 13 digits$/, 'mora imati 13 cifara'],
  [/must be 5 digits$/, 'mora imati 5 cifara'],
  [/must be 6 digits$/, 'mora imati 6 cifara'],
  [/^may not be empty$|should not be empty$|^is required$/, 'je obavezno'],
  [/^is required for (.+)$/, 'je obavezno za ovu vrstu'],
  [/^is only for periodic_reporting$/, 'važi samo za periodično javljanje'],
  [/^must not be before (.+)$/, 'ne sme biti pre datuma od kog zavisi'],
  [/^must not repeat a weekday$/, 'dan u nedelji se ne sme ponoviti'],
  [/must be one of the following values/, 'izaberite jednu od ponuđenih vrednosti'],
  [/must be shorter than or equal to (\d+) characters$/, 'je predugačko'],
  [/must be longer than or equal to (\d+) characters$/, 'je prekratko'],
  [/must not be greater than (\d+)$/, 'je preveliko'],
  [/must not be less than (\d+)$/, 'je premalo'],
  [/must be a string$/, 'mora biti tekst'],
  [/must be an array$/, 'mora biti spisak'],
  [/must be a valid ISO 8601 date string$|must be a date/, 'nije ispravan datum'],
  [/must be an email$/, 'nije ispravna adresa e-pošte'],
  [/check digit|control digit/i, 'kontrolna cifra nije ispravna'],
  [/must contain at least two letters or digits$/, 'mora imati bar dva slova ili cifre'],
  [/must differ from the current password$/, 'mora se razlikovati od trenutne lozinke'],
];

export function words(pair: Words, language: Language): string {
  return pair[language === 'sr' ? 0 : 1];
}

/** A field's path (`sentence.months`, `offences.0.article`) as the form names it. */
export function fieldWords(path: string, language: Language): string {
  const parts = path.split('.').filter((part) => !/^\d+$/.test(part));
  const known = parts.map((part) => FIELDS[part]).filter(Boolean);
  return known.length ? known.map((pair) => words(pair, language)).join(' – ') : path;
}

function messageWords(field: string, message: string, language: Language): string {
  // Messages may start with the field's own name ("jmbg must be 13 digits").
  const own = message.startsWith(`${field.split('.').pop()} `)
    ? message.slice(field.split('.').pop()!.length + 1)
    : message;
  if (language === 'en') return own;
  for (const [pattern, serbian] of MESSAGES) {
    const found = own.match(pattern);
    if (found) return serbian.replace(/\$(\d)/g, (_, group: string) => found[Number(group)] ?? '');
  }
  return own;
}

export interface ProblemWords {
  title: string;
  detail: string;
  errors: { field: string; label: string; message: string }[];
}

/** A problem as the user reads it: the code's title and advice, each field by its label; English keeps the server's detail. */
export function problemWords(problem: Problem, language: Language): ProblemWords {
  const code = problem.type.replace('urn:register:problem:', '');
  const known = PROBLEMS[code];
  const named = typeof problem.code === 'string' ? CASES[problem.code] : undefined;
  return {
    title: known ? words(known.title, language) : problem.title,
    detail: named
      ? words(named, language)
      : language === 'en' && problem.detail
        ? problem.detail
        : known
          ? words(known.detail, language)
          : '',
    errors: (problem.errors ?? []).map((error) => ({
      field: error.field,
      label: fieldWords(error.field, language),
      message: messageWords(error.field, error.message, language),
    })),
  };
}
