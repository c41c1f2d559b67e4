import { routedPath } from './request-target';

describe('routedPath', () => {
  it.each([
    ['/api/v1/persons?q=abc', '/api/v1/persons'],
    ['/api/v%31/persons/x', '/api/v1/persons/x'],
    ['/%61%70%69/%76%31/auth/me', '/api/v1/auth/me'],
    ['http://127.0.0.1:3000/api/v1/persons/x?limit=1', '/api/v1/persons/x'],
    ['HTTPS://register.example/api/v%31/alerts', '/api/v1/alerts'],
    ['http://register.example', '/'],
    ['http://register.example?x=1', '/'],
    ['/api/v1/persons/%ZZ', '/api/v1/persons/%ZZ'],
    ['/api/v%31/persons/%C0%AF', '/api/v1/persons/%C0%AF'],
    ['/api%2Fv1/persons', '/api%2Fv1/persons'],
    ['/api/v1/a%23b#frag', '/api/v1/a%23b'],
    ['/health/live', '/health/live'],
    ['*', '*'],
  ])('reads %s as %s', (url, path) => {
    expect(routedPath(url)).toBe(path);
  });
});
