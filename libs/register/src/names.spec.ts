import { searchKey } from './names';

describe('searchKey', () => {
  it.each([
    ['Petrović', 'petrovic'],
    ['PETROVIĆ', 'petrovic'],
    ['Петровић', 'petrovic'],
    ['petrovic', 'petrovic'],
    ['Đorđević', 'djordjevic'],
    ['Djordjevic', 'djordjevic'],
    ['Ђорђевић', 'djordjevic'],
    ['Љубиша Његош', 'ljubisa njegos'],
    ['Џаковић', 'dzakovic'],
    ['Šćepanović-Žarković', 'scepanovic zarkovic'],
    ['  Ana   Marija ', 'ana marija'],
    ['Müller', 'muller'],
    // Invisible characters read as nothing, not as a break between words.
    ['Petro\u200Bvić', 'petrovic'],
    ['\u202EPetrović\u202C', 'petrovic'],
    ['\u2066Petrović\u2069 Marko', 'petrovic marko'],
    ['Pe\u00ADtro\uFEFFvić', 'petrovic'],
    ['Petrovic\u0301', 'petrovic'],
  ])('%j → %j', (name, key) => {
    expect(searchKey(name)).toBe(key);
  });
});
