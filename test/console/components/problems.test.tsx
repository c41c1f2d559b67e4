import { describe, expect, it } from 'vitest';
import { problemWords } from '../../../apps/console/src/problems';

describe('problems in words', () => {
  it('says a validation problem in Serbian, each field by its label', () => {
    const problem = {
      type: 'urn:register:problem:validation',
      title: 'The request is not valid',
      status: 400,
      detail: 'Some fields are not valid.',
      errors: [
        { field: 'policeAdministration', message: 'policeAdministration must be a code such as PU-BEOGRAD' },
        { field: 'sentence.months', message: 'is required for imprisonment' },
        { field: 'offences.0.article', message: 'article must be an article such as 180 or 185a' },
      ],
    };
    expect(problemWords(problem, 'sr')).toEqual({
      title: 'Podaci nisu ispravni',
      detail: 'Ispravite označena polja i pokušajte ponovo.',
      errors: [
        { field: 'policeAdministration', label: 'Policijska uprava', message: 'izaberite policijsku upravu' },
        { field: 'sentence.months', label: 'Kazna – Trajanje (meseci)', message: 'je obavezno za ovu vrstu' },
        // No Serbian words for it yet: the server's words stay, never a missing text.
        {
          field: 'offences.0.article',
          label: 'Krivična dela – Član',
          message: 'must be an article such as 180 or 185a',
        },
      ],
    });
    expect(problemWords(problem, 'en').errors[1]).toEqual({
      field: 'sentence.months',
      label: 'Sentence – Length (months)',
      message: 'is required for imprisonment',
    });
  });

  it('names a missing record in the user language, the server detail kept in English only', () => {
    const problem = {
      type: 'urn:register:problem:not_found',
      title: 'Not found',
      status: 404,
      detail: 'No such person.',
    };
    expect(problemWords(problem, 'sr')).toMatchObject({
      title: 'Nije pronađeno',
      detail: 'Zapis ne postoji ili vam nije dostupan (druga uprava ili kancelarija).',
    });
    expect(problemWords(problem, 'en')).toMatchObject({ title: 'Not found', detail: 'No such person.' });
  });

  it('keeps an unknown code as the server says it', () => {
    expect(problemWords({ type: 'urn:register:problem:new_one', title: 'Something new', status: 400 }, 'sr')).toEqual({
      title: 'Something new',
      detail: '',
      errors: [],
    });
  });
});
