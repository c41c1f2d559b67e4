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
  ])('%j → %j', (name, key) => {
    expect(searchKey(name)).toBe(key);
  });
});
