// What the projects' HTTP tests share: the API called with a bearer token in a language, and the
// people they start from — Anna (a Swedish tourism company), Ola (a Norwegian one), a platform
// admin — with their tokens, organisations and Ola's logged-in browser session.
import { Client } from './lib.mjs';

export function bearerApi(srv) {
  return (token, method, path, json, { lang = 'en', headers = {} } = {}) => {
    const c = new Client(srv.base, { lang });
    c.cookies.set('lang', lang);
    return c.req(method, path, { json, headers: { ...(token ? { authorization: 'Bearer ' + token } : {}), ...headers } });
  };
}

export async function projectPeople(srv) {
  const api = bearerApi(srv);
  srv.user('anna@example.se', 'Anna Andersson', { password: 'anna password 1' });
  srv.user('ola@example.no', 'Ola Nordmann', { password: 'ola password 12' });
  srv.user('root@example.org', 'Root Admin', { admin: true, password: 'root password 1' });
  const p = { api, annaToken: srv.token('anna@example.se'), olaToken: srv.token('ola@example.no'), rootToken: srv.token('root@example.org') };
  p.annaOrg = (await api(p.annaToken, 'POST', '/api/v1/organisations', { name: 'Annas Turism AB', country: 'SE', kind: 'company', municipality: '1780' })).json().id;
  p.olaOrg = (await api(p.olaToken, 'POST', '/api/v1/organisations', { name: 'Olas Reiseliv AS', country: 'NO', kind: 'company', municipality: '3403' })).json().id;
  p.ola = new Client(srv.base, { lang: 'en' });
  await p.ola.login('ola@example.no', 'ola password 12');
  return p;
}
