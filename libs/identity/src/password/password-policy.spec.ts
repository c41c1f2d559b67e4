import { passwordProblem } from './password-policy';

describe('passwordProblem (NIST 800-63B)', () => {
  it.each([
    ['elevenchars', 'must be at least 12 characters long'],
    ['ž'.repeat(11) + 'a', null],
    ['x'.repeat(128), 'must not repeat a single character'],
    ['xy'.repeat(64) + 'z', 'must be at most 128 characters long'],
    ['123456789012', 'is a commonly used password; choose another'],
    ['Password1234', 'is a commonly used password; choose another'],
    ['my p.petrovic secret', 'must not contain the username'],
    ['correct horse battery staple', null],
    ['Sunčano nebo nad Šapcem', null],
  ])('%j → %j', (password, problem) => {
    expect(passwordProblem(password, 'P.Petrovic')).toBe(problem);
  });

  it('counts characters, not bytes', () => {
    expect(passwordProblem('čćšžđčćšžđčć', 'user')).toBeNull();
  });
});
