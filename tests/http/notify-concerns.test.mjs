// What concerns a user without following it (projects, organisations and their clusters, obstacles), and projects followed
// (issue 14): each notification reaches the inbox of the people it concerns and no one else, in
// their language, with a preference per kind whose 'never' stops its mail, and shows in the
// digests of `granslos digest --dry-run`; deadline reminders made once by the daily job.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, cli, sql } from './lib.mjs';

const PEOPLE = [
  ['anna@example.se', 'Anna Andersson'],   // creates the project; administers the Swedish lead partner
  ['ola@example.no', 'Ola Nordmann'],      // administers the Norwegian lead partner
  ['eve@example.se', 'Eve Partner'],       // administers a plain partner
  ['erik@example.se', 'Erik Medlem'],      // a member (not an administrator) of Eve's organisation
  ['mia@example.no', 'Mia Följare'],       // follows the project, and is part of nothing
  ['root@example.org', 'Root Admin'],
];

async function people(srv) {
  const tok = {}, pw = (name) => name.split(' ')[0].toLowerCase() + ' password 123';
  for (const [email, name] of PEOPLE) {
    srv.user(email, name, { password: pw(name), admin: email.startsWith('root') });
    tok[email] = srv.token(email);
  }
  const api = (email, method, path, json, lang = 'en') => {
    const c = new Client(srv.base, { lang });
    c.cookies.set('lang', lang);
    return c.req(method, path, { json, headers: { authorization: 'Bearer ' + tok[email] } });
  };
  const browser = async (email, lang = 'en') => {
    const c = new Client(srv.base, { lang });
    c.cookies.set('lang', lang);
    await c.login(email, pw(PEOPLE.find((p) => p[0] === email)[1]));
    return c;
  };
  // the newest notifications of a user (of one kind), in lang
  const inbox = async (email, kind, lang = 'en') =>
    (await api(email, 'GET', '/api/v1/notifications', undefined, lang)).json().items.filter((x) => !kind || x.kind === kind);
  // an organisation made by email's user through the API (who becomes its administrator): its id
  const org = async (email, name, country, municipality, kind = 'company') =>
    (await api(email, 'POST', '/api/v1/organisations', { name, country, kind, municipality })).json().id;
  return { api, browser, inbox, org };
}

test('projects tell their people: invitations, answers, comments, ready marks, statuses and submissions; followers hear statuses; preferences per kind', async () => {
  const srv = await startServer({ demo: false });
  try {
    const { api, browser, inbox, org } = await people(srv);
    const annaOrg = await org('anna@example.se', 'Annas Turism AB', 'SE', '1780');
    const olaOrg = await org('ola@example.no', 'Olas Reiseliv AS', 'NO', '3403');
    const eveOrg = await org('eve@example.se', 'Eves Skog AB', 'SE', '1737');

    // Erik asks to join Eve's organisation; Eve approves: he hears the answer (organisations)
    const erik = await browser('erik@example.se', 'sv');
    assert.equal((await erik.submit(`/organisations/${eveOrg}`, `/organisations/${eveOrg}/join`, { message: 'Hej' })).status, 303);
    assert.equal((await inbox('eve@example.se', 'join-request')).length, 1);
    const eve = await browser('eve@example.se');
    const req = /name="request" value="(\d+)"/.exec((await eve.get(`/organisations/${eveOrg}/members`)).text)[1];
    assert.equal((await eve.submit(`/organisations/${eveOrg}/members`, `/organisations/${eveOrg}/members`, { request: req, action: 'approve' })).status, 303);
    let n = await inbox('erik@example.se', 'join-accepted', 'sv');
    assert.equal(n.length, 1);
    assert.equal(n[0].text, 'Du är nu medlem i Eves Skog AB.');
    assert.equal(n[0].url, `/organisations/${eveOrg}`);
    assert.equal((await inbox('eve@example.se', 'join-accepted')).length, 0, 'the one who decided hears nothing');

    // preferences: every project kind has its row with its default
    let r = await api('ola@example.no', 'GET', '/api/v1/account/notifications');
    assert.deepEqual(r.json().kinds, {
      invitations: 'immediately', answers: 'immediately', registrations: 'immediately', follows: 'weekly', matches: 'weekly', obstacles: 'daily',
      'project-invitations': 'immediately', 'project-answers': 'immediately', 'project-comments': 'daily', 'project-ready': 'daily',
      'project-status': 'daily', 'project-deadlines': 'immediately',
    });
    assert.equal((await api('ola@example.no', 'PUT', '/api/v1/account/notifications', { kinds: { 'project-comments': 'sometimes' } })).status, 422);
    assert.equal((await api('ola@example.no', 'PUT', '/api/v1/account/notifications', { kinds: { 'project-comments': 'never' } })).json().kinds['project-comments'], 'never');
    const page = (await (await browser('ola@example.no', 'nb')).get('/account/notifications')).text;
    assert.match(page, /<legend>Kommentarer på prosjektets deler<\/legend>/);
    assert.match(page, /name="project-comments" value="never" checked/);

    // a project: Anna's organisation confirmed at once, Ola's and Eve's invited
    r = await api('anna@example.se', 'POST', '/api/v1/projects', {
      acronym: 'SkogTur', title: { sv: 'Skogsturism', nb: 'Skogsturisme', en: 'Forest tourism' }, programme: 'interreg-se-no', type: 'main',
      start: '2027-09', duration_months: 24, submission_month: '2027-03', summary: 'Tourism in the border forest.', cross_border: ['border-as-resource'],
      cross_border_justification: 'One forest.', partners: [{ organisation: annaOrg, role: 'lead-se' }, { organisation: olaOrg, role: 'lead-no' },
        { organisation: eveOrg, role: 'partner', invited_by: annaOrg }],
    });
    assert.equal(r.status, 201, r.text);
    const id = r.json().id;
    n = await inbox('ola@example.no', 'project-invited', 'nb');
    assert.equal(n.length, 1);
    assert.equal(n[0].text, 'Organisasjonen din er invitert til å bli partner i SkogTur – Skogsturisme.');
    assert.equal(n[0].detail, 'Olas Reiseliv AS');
    assert.equal(n[0].url, `/projects/${id}`);
    assert.equal((await inbox('eve@example.se', 'project-invited')).length, 1);
    assert.equal((await inbox('erik@example.se', 'project-invited')).length, 0, 'only the administrators of the invited organisation');
    assert.equal((await inbox('anna@example.se', 'project-invited')).length, 0);
    assert.equal((await inbox('mia@example.no')).length, 0);
    // a later save that does not invite anybody new tells nothing again
    assert.equal((await api('anna@example.se', 'PATCH', `/api/v1/projects/${id}`, { summary: 'Tourism in the forest on the border.' })).status, 200);
    assert.equal((await inbox('ola@example.no', 'project-invited')).length, 1);

    // answers: the lead partners' administrators, the inviting organisation and the creator hear them
    assert.equal((await api('ola@example.no', 'POST', `/api/v1/projects/${id}/partners/${olaOrg}/answer`, { accept: true })).status, 200);
    n = await inbox('anna@example.se', 'project-accepted', 'sv');
    assert.equal(n.length, 1);
    assert.equal(n[0].text, 'En partner har tackat ja till inbjudan till SkogTur – Skogsturism.');
    assert.equal(n[0].detail, 'Olas Reiseliv AS');
    assert.equal((await inbox('ola@example.no', 'project-accepted')).length, 0, 'not the one who answered');
    assert.equal((await api('eve@example.se', 'POST', `/api/v1/projects/${id}/partners/${eveOrg}/answer`, { accept: true })).status, 200);
    assert.deepEqual((await inbox('ola@example.no', 'project-accepted')).map((x) => x.detail), ['Eves Skog AB'], 'Ola leads a side now');
    assert.equal((await inbox('eve@example.se', 'project-accepted')).length, 0, 'invited, not yet a partner, when Ola answered');
    assert.equal((await inbox('erik@example.se', 'project-accepted')).length, 0);

    // Mia follows the project on its page (and sees it in the API)
    const visitor = await new Client(srv.base).get(`/projects/${id}`);
    assert.doesNotMatch(visitor.text, /action="\/follow"/, 'no follow button for visitors');
    const mia = await browser('mia@example.no', 'sv');
    assert.match((await mia.get(`/projects/${id}`)).text, /<input type="hidden" name="target" value="project"><input type="hidden" name="key" value="\d+">.*aria-pressed="false">Följ</s);
    r = await mia.submit(`/projects/${id}`, '/follow', { target: 'project', key: String(id), on: '1', back: `/projects/${id}` });
    assert.equal(r.status, 303);
    assert.equal(r.location, `/projects/${id}`);
    assert.match((await mia.get(`/projects/${id}`)).text, /aria-pressed="true">Du följer – sluta följa</);
    assert.deepEqual((await api('mia@example.no', 'GET', '/api/v1/follows')).json().items.map((f) => [f.target, f.key]), [['project', String(id)]]);
    assert.equal((await api('mia@example.no', 'POST', '/api/v1/follows', { target: 'project', key: 'SkogTur' })).status, 422);
    // a follower hears nothing of the writing itself
    assert.equal((await api('anna@example.se', 'PATCH', `/api/v1/projects/${id}`, { summary: 'Forest tourism on both sides.' })).status, 200);
    assert.equal((await inbox('mia@example.no')).length, 0);

    // a comment on a section: the project's members (every member of a confirmed partner), not its writer
    r = await api('erik@example.se', 'POST', `/api/v1/projects/${id}/sections/work-plan/comments`, { body: 'WP2 needs a Norwegian partner.' });
    assert.equal(r.status, 201, r.text);
    n = await inbox('anna@example.se', 'project-comment', 'sv');
    assert.equal(n.length, 1);
    assert.equal(n[0].text, 'En ny kommentar på SkogTur – Skogsturism.');
    assert.equal(n[0].detail, 'Arbetsplan, utfall och resultat · Erik Medlem');
    assert.equal(n[0].url, `/projects/${id}/sections/work-plan`);
    assert.equal((await inbox('ola@example.no', 'project-comment')).length, 1, "'never' stops the mail, not the inbox");
    assert.equal((await inbox('eve@example.se', 'project-comment')).length, 1);
    assert.equal((await inbox('erik@example.se', 'project-comment')).length, 0);
    assert.equal((await inbox('mia@example.no', 'project-comment')).length, 0, 'followers do not hear the comments');
    assert.equal(sql(srv.db, `SELECT mode || ' ' || mail_status FROM notify_items i JOIN users u ON u.id = i.user_id WHERE u.email = 'ola@example.no' AND kind = 'project-comment'`).trim(), 'never none');

    // a section marked ready
    assert.equal((await api('ola@example.no', 'PUT', `/api/v1/projects/${id}/sections/description/ready`, { ready: true })).status, 200);
    n = await inbox('erik@example.se', 'project-ready');
    assert.equal(n.length, 1);
    assert.equal(n[0].detail, 'Description and cross-border value · Ola Nordmann');
    assert.equal((await inbox('ola@example.no', 'project-ready')).length, 0);
    assert.equal((await inbox('mia@example.no', 'project-ready')).length, 0);

    // a new status: followers and members; then submitted, with the frozen version
    assert.equal((await api('anna@example.se', 'PATCH', `/api/v1/projects/${id}`, { status: 'drafting' })).status, 200);
    n = await inbox('mia@example.no', 'project-status', 'sv');
    assert.equal(n.length, 1);
    assert.equal(n[0].text, 'SkogTur – Skogsturism har fått en ny status.');
    assert.equal(n[0].detail, 'Ansökan skrivs');
    assert.equal((await inbox('erik@example.se', 'project-status')).length, 1);
    assert.equal((await inbox('anna@example.se', 'project-status')).length, 0, 'not the one who changed it');
    r = await api('anna@example.se', 'PATCH', `/api/v1/projects/${id}`, { status: 'submitted' });
    assert.equal(r.status, 200, r.text);
    const sent = r.json().version;
    n = await inbox('mia@example.no', 'project-submitted');
    assert.equal(n.length, 1);
    assert.equal(n[0].text, 'A new version of SkogTur – Forest tourism was submitted.');
    assert.equal(n[0].detail, `version ${sent}`);
    assert.equal(n[0].url, `/projects/${id}/submitted/${sent}`);
    assert.equal((await mia.get(n[0].url)).status, 200);
    assert.equal((await inbox('mia@example.no', 'project-status')).length, 1, 'a submission is told once, as a submission');
    // unfollowed: nothing more
    assert.deepEqual((await api('mia@example.no', 'DELETE', '/api/v1/follows', { target: 'project', key: id })).json(), { target: 'project', key: String(id), following: false });
    assert.equal((await api('anna@example.se', 'PATCH', `/api/v1/projects/${id}`, { status: 'drafting' })).status, 200);
    assert.equal((await inbox('mia@example.no')).length, 2);
    assert.equal((await inbox('erik@example.se', 'project-status')).length, 2);

    // the digests: the daily ones carry the comments, ready marks and statuses in sections of their own
    const out = cli(['digest', '--dry-run', '--at', '2027-01-11T08:00:00Z'], { db: srv.db });
    assert.equal(out.code, 0, out.err);
    const digestOf = (email) => out.out.split(/\n(?=(?:daily|weekly) digest )/).find((d) => d.includes(` to ${email} `)) || '';
    const annaDigest = digestOf('anna@example.se');
    assert.match(annaDigest, /^daily digest 2027-01-11 to anna@example\.se \(sv, Europe\/Stockholm\)/);
    assert.match(annaDigest, /== Kommentarer på projektets delar ==\n\n- En ny kommentar på SkogTur – Skogsturism\. \(Arbetsplan, utfall och resultat · Erik Medlem\)\n {2}http:\/\/127\.0\.0\.1:8080\/projects\/\d+\/sections\/work-plan/);
    assert.match(annaDigest, /== Projektdelar markerade som klara ==/);
    assert.match(digestOf('mia@example.no'), /== Projektets status och inlämnade versioner ==\n\n- SkogTur – Skogsturism har fått en ny status\. \(Ansökan skrivs\)/);
    assert.match(digestOf('ola@example.no'), /Projektdelar|Projektets status/, 'Ola has a digest …');
    assert.doesNotMatch(digestOf('ola@example.no'), /kommentar/i, '… without the comments he chose never for');
    assert.doesNotMatch(out.out, /invit|inbjud/i, 'invitations and answers went at once, not in a digest');
  } finally { await srv.stop(); }
});

test('deadline reminders: the project members hear of a deadline N days before it, once, by the daily job; a dry run shows them and stores nothing', async () => {
  const srv = await startServer({ demo: false });
  try {
    const { api, inbox, org } = await people(srv);
    const annaOrg = await org('anna@example.se', 'Annas Turism AB', 'SE', '1780');
    const olaOrg = await org('ola@example.no', 'Olas Reiseliv AS', 'NO', '3403');
    let r = await api('anna@example.se', 'POST', '/api/v1/projects', {
      acronym: 'Frist', title: { sv: 'Fristprojektet', nb: 'Fristprosjektet', en: 'The deadline project' }, programme: 'interreg-se-no', type: 'main',
      start: '2027-09', duration_months: 12, partners: [{ organisation: annaOrg, role: 'lead-se' }, { organisation: olaOrg, role: 'lead-no' }],
      deadlines: [{ date: '2027-02-15', title: 'Ansökan stänger' }, { date: '2027-05-01', title: 'Slutrapport' }],
    });
    assert.equal(r.status, 201, r.text);
    const id = r.json().id;
    assert.equal((await api('ola@example.no', 'POST', `/api/v1/projects/${id}/partners/${olaOrg}/answer`, { accept: true })).status, 200);
    assert.equal((await api('mia@example.no', 'POST', '/api/v1/follows', { target: 'project', key: id })).status, 200);
    await api('ola@example.no', 'PUT', '/api/v1/account/notifications', { kinds: { 'project-deadlines': 'daily' } });
    // more than 7 days before: nothing yet; before the digest hour: nothing yet
    assert.equal(cli(['digest', '--at', '2027-02-01T08:00:00Z'], { db: srv.db }).code, 0);
    assert.equal((await inbox('anna@example.se', 'project-deadline')).length, 0);
    assert.equal(cli(['digest', '--at', '2027-02-10T04:00:00Z'], { db: srv.db }).code, 0);
    assert.equal((await inbox('anna@example.se', 'project-deadline')).length, 0, '05:00 in Stockholm is before the digest hour');
    // a dry run five days before: Ola's daily digest shows it; nothing is kept
    r = cli(['digest', '--dry-run', '--at', '2027-02-10T08:00:00Z'], { db: srv.db });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /daily digest 2027-02-10 to ola@example\.no[^\n]*\n[\s\S]*== Projektets kommande tidsfrister ==\n\n- En tidsfrist för Frist – Fristprojektet närmar sig\. \(15 februari 2027: Ansökan stänger\)/);
    assert.equal(sql(srv.db, 'SELECT count(*) FROM project_reminders').trim(), '0');
    assert.equal((await inbox('anna@example.se', 'project-deadline')).length, 0);
    // the real run: the members hear of the near deadline (not of the far one), the follower not
    assert.equal(cli(['digest', '--at', '2027-02-10T08:00:00Z'], { db: srv.db }).code, 0);
    let n = await inbox('anna@example.se', 'project-deadline', 'sv');
    assert.equal(n.length, 1);
    assert.equal(n[0].text, 'En tidsfrist för Frist – Fristprojektet närmar sig.');
    assert.equal(n[0].detail, '15 februari 2027: Ansökan stänger');
    n = await inbox('ola@example.no', 'project-deadline', 'nb');
    assert.equal(n.length, 1);
    assert.equal(n[0].detail, '15. februar 2027: Ansökan stänger');
    assert.equal((await inbox('mia@example.no', 'project-deadline')).length, 0);
    assert.equal((await inbox('eve@example.se')).length, 0);
    // again, the same day and the next: never twice
    assert.equal(cli(['digest', '--at', '2027-02-10T09:00:00Z'], { db: srv.db }).code, 0);
    assert.equal(cli(['digest', '--at', '2027-02-11T08:00:00Z'], { db: srv.db }).code, 0);
    assert.equal((await inbox('anna@example.se', 'project-deadline')).length, 1);
    // 'never': the item is in the inbox, no mail waits for it
    await api('anna@example.se', 'PUT', '/api/v1/account/notifications', { kinds: { 'project-deadlines': 'never' } });
    assert.equal(cli(['digest', '--at', '2027-04-25T08:00:00Z'], { db: srv.db }).code, 0);
    assert.deepEqual((await inbox('anna@example.se', 'project-deadline')).map((x) => x.detail), ['1 May 2027: Slutrapport', '15 February 2027: Ansökan stänger']);
    assert.equal(sql(srv.db, `SELECT mail_status FROM notify_items i JOIN users u ON u.id = i.user_id WHERE u.email = 'anna@example.se' AND i.detail LIKE '2027-05-01%'`).trim(), 'none');
  } finally { await srv.stop(); }
});

test('obstacles: their reporter, whoever marked their organisation affected and their followers hear of a new status; the one who moved it not', async () => {
  const srv = await startServer({ demo: false });
  try {
    const { api, inbox, org } = await people(srv);
    const eveOrg = await org('eve@example.se', 'Eves Skog AB', 'SE', '1737');
    let r = await api('anna@example.se', 'POST', '/api/v1/obstacles', { title: 'Tullen stänger tidigt', description: 'Text', country: 'SE' });
    assert.equal(r.status, 201, r.text);
    const id = r.json().id;
    assert.equal((await api('eve@example.se', 'POST', `/api/v1/obstacles/${id}/affected`, { organisation: eveOrg })).status, 200);
    assert.equal((await api('mia@example.no', 'POST', '/api/v1/follows', { target: 'obstacle', key: id })).status, 200);
    assert.equal((await api('root@example.org', 'POST', `/api/v1/obstacles/${id}/status`, { status: 'analysis', comment: 'Vi tittar på det.' })).status, 200);
    for (const email of ['anna@example.se', 'eve@example.se', 'mia@example.no']) {
      const n = await inbox(email, 'obstacle-status', 'sv');
      assert.equal(n.length, 1, email);
      assert.equal(n[0].text, 'Tullen stänger tidigt har fått en ny status.');
      assert.equal(n[0].detail, 'Under analys');
      assert.equal(n[0].url, `/obstacles/${id}`);
    }
    assert.equal((await inbox('root@example.org')).length, 0);
    assert.equal((await inbox('ola@example.no')).length, 0);
    await api('eve@example.se', 'PUT', '/api/v1/account/notifications', { kinds: { obstacles: 'never' } });
    assert.equal((await api('root@example.org', 'POST', `/api/v1/obstacles/${id}/status`, { status: 'raised' })).status, 200);
    const out = cli(['digest', '--dry-run', '--at', '2027-01-11T08:00:00Z'], { db: srv.db }).out;
    assert.match(out, /daily digest 2027-01-11 to anna@example\.se[^\n]*: 2 items, 0 news\n[\s\S]*== Gränshinder som har fått ny status ==/);
    assert.match(out, /daily digest 2027-01-11 to eve@example\.se[^\n]*: 1 items/, "Eve chose 'never' before the second move");
  } finally { await srv.stop(); }
});

test('cluster memberships: a new claim reaches the cluster administrators once, their answer reaches the member organisation', async () => {
  const srv = await startServer({ demo: false });
  try {
    const { api, browser, inbox, org } = await people(srv);
    const annaOrg = await org('anna@example.se', 'Annas Turism AB', 'SE', '1780');
    const cluster = await org('ola@example.no', 'Fjordklyngen', 'NO', '3401', 'cluster');
    assert.equal((await api('anna@example.se', 'PATCH', `/api/v1/organisations/${annaOrg}`, { networks: [cluster] })).status, 200);
    let n = await inbox('ola@example.no', 'network-request', 'nb');
    assert.equal(n.length, 1);
    assert.equal(n[0].text, 'En organisasjon sier at den er medlem i Fjordklyngen.');
    assert.equal(n[0].detail, 'Annas Turism AB');
    assert.equal((await inbox('anna@example.se')).length, 0);
    // a later save of the claiming organisation does not ask again
    assert.equal((await api('anna@example.se', 'PATCH', `/api/v1/organisations/${annaOrg}`, { website: 'https://annas.example' })).status, 200);
    assert.equal((await inbox('ola@example.no', 'network-request')).length, 1);
    const ola = await browser('ola@example.no');
    const r = await ola.submit(`/organisations/${cluster}/members`, `/organisations/${cluster}/networks`, { member: String(annaOrg), answer: 'confirm' });
    assert.equal(r.status, 303);
    n = await inbox('anna@example.se', 'network-confirmed', 'sv');
    assert.equal(n.length, 1);
    assert.equal(n[0].text, 'Fjordklyngen har bekräftat att din organisation är medlem.');
    assert.equal(n[0].url, `/organisations/${cluster}`);
    assert.equal((await inbox('ola@example.no', 'network-confirmed')).length, 0);
  } finally { await srv.stop(); }
});

test('migration 082: the follows made before it stay, and projects can be followed after it', async () => {
  const srv = await startServer({ demo: false });
  try {
    const { api, org } = await people(srv);
    const annaOrg = await org('anna@example.se', 'Annas Turism AB', 'SE', '1780');
    assert.equal((await api('mia@example.no', 'POST', '/api/v1/follows', { target: 'org', key: annaOrg })).status, 200);
    assert.equal((await api('mia@example.no', 'POST', '/api/v1/follows', { target: 'theme', key: 'blue-bioeconomy' })).status, 200);
    await srv.stop({ keep: true });
    // the table as migration 080 made it, with its rows, and 082 not yet applied
    // (and 084 not yet either: on PostgreSQL the tables made again get their instants as timestamptz)
    sql(srv.db, `ALTER TABLE notify_follows RENAME TO nf_keep;
      CREATE TABLE notify_follows (user_id INTEGER NOT NULL REFERENCES users(id),
        target TEXT NOT NULL CHECK (target IN ('org','theme','event','series','obstacle','search')), target_key TEXT NOT NULL,
        created_at TEXT NOT NULL, PRIMARY KEY (user_id, target, target_key));
      INSERT INTO notify_follows (user_id, target, target_key, created_at) SELECT user_id, target, target_key, created_at FROM nf_keep;
      DROP TABLE nf_keep; CREATE INDEX notify_follows_target ON notify_follows(target, target_key);
      DELETE FROM schema_migrations WHERE version IN (82, 84);`);
    const srv2 = await startServer({ demo: false, args: ['--db', srv.db] });
    try {
      const tok = cli(['token', 'add', 'mia@example.no'], { db: srv.db }).out.trim();
      const call = (m, p, json) => new Client(srv2.base).req(m, p, { json, headers: { authorization: 'Bearer ' + tok } });
      assert.deepEqual((await call('GET', '/api/v1/follows')).json().items.map((f) => [f.target, f.key]).sort(), [['org', String(annaOrg)], ['theme', 'blue-bioeconomy']]);
      assert.equal((await call('POST', '/api/v1/follows', { target: 'project', key: 7 })).status, 200);
      assert.equal(sql(srv.db, "SELECT count(*) FROM notify_follows WHERE target = 'project'").trim(), '1');
    } finally { await srv2.stop({ keep: true }); }
  } finally { (await import('node:fs')).rmSync(srv.dir, { recursive: true, force: true }); }
});
