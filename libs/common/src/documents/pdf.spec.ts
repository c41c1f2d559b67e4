import { pdfText as textOf } from '../../../../test/support/pdf-text';
import { renderPdf } from './pdf';

describe('renderPdf', () => {
  it('writes a PDF whose text reads back, Serbian letters included', async () => {
    const pdf = await renderPdf({
      title: 'Izvod iz registra',
      subtitle: 'Uprava za izvršenje krivičnih sankcija',
      createdAt: new Date('2026-12-03T10:00:00Z'),
      sections: [
        { heading: 'Lice', rows: [['Ime i prezime', 'Đorđe Čavić Šaljić Žarković']] },
        {
          heading: 'Periodi',
          table: { columns: ['Od', 'Do', 'Ishod'], rows: [['1. 1. 2026.', '30. 1. 2026.', 'propušten']] },
        },
      ],
    });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = await textOf(pdf);
    expect(text).toContain('Izvod iz registra');
    expect(text).toContain('Đorđe Čavić Šaljić Žarković');
    expect(text).toContain('propušten');
  });

  it('gives the same bytes for the same content and date', async () => {
    const content = {
      title: 'T',
      createdAt: new Date('2026-01-01T00:00:00Z'),
      sections: [{ heading: 'H', lines: ['x'] }],
    };
    expect((await renderPdf(content)).equals(await renderPdf(content))).toBe(true);
  });

  it('places images in a section (JPEG or PNG), each with its caption', async () => {
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGBgAAAABQABXvMqGgAAAABJRU5ErkJggg==',
      'base64',
    );
    const pdf = await renderPdf({
      title: 'Fotografije',
      sections: [{ heading: 'Lice', images: [1, 2, 3, 4, 5, 6].map((n) => ({ data: png, caption: `Snimak ${n}` })) }],
    });
    const text = await textOf(pdf);
    expect(text).toContain('Snimak 1');
    // Six images of 150 points do not fit on one A4 page: the later ones go on to the next.
    expect(text).toContain('Snimak 6');
    expect((pdf.toString('latin1').match(/\/Subtype\s*\/Image/g) ?? []).length).toBeGreaterThanOrEqual(1);
  });
});
