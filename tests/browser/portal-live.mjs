// SPDX-License-Identifier: GPL-3.0-or-later
//
// Live messages in the client portal, in Debian's headless Chromium, for
// test-portal-browser.c (/browser/portal-live), which passes PORTAL_BASE,
// MAIL_DIR, CLIENT_EMAIL (as portal.mjs), and OWNER_TOKEN, OWNER_STAFF
// (the practice's owner, to push messages as Tend does), CONVERSATION
// (the client's thread) and OTHER_CONVERSATION (another client's).
//  1. Signed in with the invitation, Dana's thread open: each staff message
//     pushed through /v1/push appears in the page within BOUND_MS, through
//     the event stream (the page polls only while the stream is down).
//  2. A message in another client's thread first: it never reaches Dana's
//     stream (the events the browser received, read through the DevTools
//     protocol, never name that thread) nor the page.
//  3. The stream refused: the page falls back to polling, and comes back
//     to the stream once it is allowed again.
//  4. A guardian's session says on every page whom it acts for.
//  5. The page's words in the language Accept-Language asks for (from
//     the server's gettext catalogue), or the one chosen with the switcher.
// Exits non-zero at the first failed check, naming it.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const base = process.env.PORTAL_BASE;
const mailDir = process.env.MAIL_DIR;
const email = process.env.CLIENT_EMAIL;
const ownerToken = process.env.OWNER_TOKEN;
const ownerStaff = process.env.OWNER_STAFF;
const conversation = process.env.CONVERSATION;
const otherConversation = process.env.OTHER_CONVERSATION;
const guardianEmail = process.env.GUARDIAN_EMAIL;
const minorConversation = process.env.MINOR_CONVERSATION;
const shots = process.env.TEND_TEST_SCREENSHOTS || null;
// From the push's sending to the message on the page.  Polling every five
// seconds would miss it nearly every time.
const BOUND_MS = 1500;

function check (ok, what) {
  if (!ok)
    throw new Error('check failed: ' + what);
}

async function waitForInvite (to) {
  const deadline = Date.now() + 20000;
  for (;;) {
    for (const name of fs.readdirSync(mailDir).filter((n) => /^msg-\d+\.eml$/.test(n)).sort()) {
      const raw = fs.readFileSync(path.join(mailDir, name), 'utf8');
      const parts = raw.split(/Content-Transfer-Encoding: base64\r\n\r\n/);
      if (parts.length < 2 || !new RegExp('^X-Sink-To: .*' + to.replace(/[.]/g, '\\.'), 'mi').test(raw))
        continue;
      const text = Buffer.from(parts[1].split(/\r\n\r\n|\r\n--/)[0].replace(/\s/g, ''), 'base64').toString('utf8');
      const link = text.match(/(http:\/\/\S+#link=\S+)/);
      if (link)
        return link[1];
    }
    if (Date.now() > deadline)
      throw new Error('no invitation e-mail arrived');
    await new Promise((r) => setTimeout(r, 100));
  }
}

// A staff message, pushed as Tend pushes it.
async function pushMessage (conversationId, text) {
  const id = crypto.randomUUID();
  const body = {
    ops: [{ op_id: crypto.randomUUID(), type: 'message', id, base_version: 0,
            body: { conversation_id: conversationId, author_id: ownerStaff, text, sent_at: new Date().toISOString() } }]
  };
  const response = await fetch(base + '/v1/push', {
    method: 'POST',
    headers: { 'Authorization': 'Bearer ' + ownerToken, 'Content-Type': 'application/json' },
    body: JSON.stringify(body)
  });
  const answer = await response.json();
  check(response.status === 200 && answer.results[0].status === 'applied', 'the push applied: ' + JSON.stringify(answer));
}

async function shot (page, name) {
  if (shots) {
    fs.mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, name + '.png'), fullPage: true });
  }
}

async function main () {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--disable-dev-shm-usage'],
  });
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'America/New_York',
                                             viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text()))
      problems.push('CSP: ' + m.text());
  });

  // Every event the stream brings, as the browser received it.
  const received = [];
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  cdp.on('Network.eventSourceMessageReceived', (e) => received.push({ name: e.eventName, data: e.data }));
  const readyCount = () => received.filter((e) => e.name === 'ready').length;
  const waitUntil = async (what, test, ms) => {
    const deadline = Date.now() + ms;
    while (!test()) {
      if (Date.now() > deadline)
        throw new Error('timed out: ' + what);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  let messageReads = 0;
  page.on('request', (r) => {
    if (r.url().endsWith('/conversations/' + conversation + '/messages') && r.method() === 'GET')
      messageReads++;
  });

  await page.goto(await waitForInvite(email));
  await page.getByRole('heading', { level: 1, name: 'Appointments' }).waitFor();
  await page.getByRole('link', { name: 'Messages' }).click();
  await page.getByRole('heading', { level: 1, name: 'Messages' }).waitFor();
  await page.locator('#conversation-title', { hasText: 'Scheduling' }).waitFor();
  await waitUntil('the stream is ready', () => readyCount() >= 1, 5000);

  // 1 and 2: another client's message, then Dana's, five times.
  const latencies = [];
  for (let i = 0; i < 5; i++) {
    await pushMessage(otherConversation, 'For Oscar only ' + i);
    const text = 'Live hello ' + i;
    const started = Date.now();
    await pushMessage(conversation, text);
    await page.locator('#messages-list li.theirs', { hasText: text }).waitFor({ timeout: 10000 });
    latencies.push(Date.now() - started);
  }
  console.log('# push to page (ms): ' + latencies.join(', '));
  for (const ms of latencies)
    check(ms <= BOUND_MS, 'each message on the page within ' + BOUND_MS + ' ms: ' + latencies.join(', '));
  const named = received.filter((e) => e.name === 'conversation').map((e) => JSON.parse(e.data).conversation_id);
  check(named.length >= 5, 'the stream named Dana\'s thread for each message: ' + named.length);
  check(named.every((id) => id === conversation), 'the stream named no other thread: ' + named.join(', '));
  check(!(await page.locator('body').textContent()).includes('For Oscar only'), 'Oscar\'s messages are not on the page');
  await shot(page, 'messages-live-en-390');
  // A client's own session: no acting-for line.
  check(!(await page.locator('#acting-for').isVisible()), 'no acting-for line for a client\'s own session');
  await page.setViewportSize({ width: 1280, height: 800 });
  await shot(page, 'messages-live-en-1280');
  await page.setViewportSize({ width: 390, height: 844 });

  // Away from Messages: a new message marks the Messages link.
  await page.getByRole('link', { name: 'Account' }).click();
  await page.getByRole('heading', { level: 1, name: 'Account' }).waitFor();
  await pushMessage(conversation, 'While you were away');
  await page.locator('#nav-messages-new').waitFor({ state: 'visible', timeout: 5000 });
  await shot(page, 'messages-new-badge-en-390');
  await page.getByRole('link', { name: /^Messages/ }).click();
  await page.locator('#messages-list li.theirs', { hasText: 'While you were away' }).waitFor();
  check(await page.locator('#nav-messages-new').isHidden(), 'the mark goes once Messages is open');

  // With the stream live, the open thread is not polled.
  const readsBefore = messageReads;
  await page.waitForTimeout(6000);
  check(messageReads === readsBefore, 'no polling while the stream is up: ' + (messageReads - readsBefore) + ' reads');

  // 3. The stream refused: polling brings the message; then the stream
  // comes back by itself.
  await page.route('**/v1/portal/events', (route) => route.fulfill({ status: 503, body: '' }));
  await page.reload();
  await page.locator('#conversation-title', { hasText: 'Scheduling' }).waitFor();
  const readyBefore = readyCount();
  await pushMessage(conversation, 'Polled while the stream is down');
  await page.locator('#messages-list li.theirs', { hasText: 'Polled while the stream is down' }).waitFor({ timeout: 8000 });
  check(readyCount() === readyBefore, 'that message came by polling');
  await page.unroute('**/v1/portal/events');
  await waitUntil('the stream back after the refusal', () => readyCount() > readyBefore, 20000);
  const started = Date.now();
  await pushMessage(conversation, 'Live again');
  await page.locator('#messages-list li.theirs', { hasText: 'Live again' }).waitFor({ timeout: 5000 });
  check(Date.now() - started <= BOUND_MS, 'live again within the bound: ' + (Date.now() - started) + ' ms');

  // Signed out everywhere (from another tab): the stream ends and the page
  // goes to sign-in.
  const other = await context.newPage();
  await other.goto(base + '/portal/#account');
  await other.getByRole('button', { name: 'Sign out on every device' }).click();
  await other.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  await pushMessage(conversation, 'After signing out');
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor({ timeout: 10000 });
  check(!(await page.locator('body').textContent()).includes('After signing out'), 'nothing after signing out');
  check(received.some((e) => e.name === 'end'), 'the stream said it ended');

  // 4. Gil, Milo's legal guardian: every page says he acts for Milo, in
  // English and Spanish, and Milo's messages reach his page live.
  const gilContext = await browser.newContext({ locale: 'en-US', timezoneId: 'America/New_York',
                                                viewport: { width: 390, height: 844 } });
  const gil = await gilContext.newPage();
  gil.on('pageerror', (e) => problems.push('page error (guardian): ' + e.message));
  await gil.goto(await waitForInvite(guardianEmail));
  await gil.getByRole('heading', { level: 1, name: 'Appointments' }).waitFor();
  const banner = gil.locator('#acting-for');
  for (const [link, title] of [['Appointments', 'Appointments'], ['Messages', 'Messages'], ['Forms', 'Forms'],
                               ['Documents', 'Documents'], ['Account', 'Account']]) {
    await gil.getByRole('link', { name: link, exact: true }).click();
    await gil.getByRole('heading', { level: 1, name: title }).waitFor();
    check(await banner.isVisible(), 'the acting-for line on ' + title);
    const text = await banner.textContent();
    check(text.includes('Acting for Milo.') && text.includes('You are signed in as Gil Minor, legal guardian.'),
          'whom Gil acts for, on ' + title + ': ' + text);
    await shot(gil, 'guardian-' + link.toLowerCase() + '-en-390');
  }
  await gil.getByRole('link', { name: 'Messages', exact: true }).click();
  await gil.locator('#conversation-title', { hasText: 'Milo\'s sessions' }).waitFor();
  {
    const t0 = Date.now();
    await pushMessage(minorConversation, 'For Milo\'s guardian');
    await gil.locator('#messages-list li.theirs', { hasText: 'For Milo\'s guardian' }).waitFor({ timeout: 5000 });
    check(Date.now() - t0 <= BOUND_MS * 2, 'Milo\'s message live on Gil\'s page: ' + (Date.now() - t0) + ' ms');
  }
  await gil.setViewportSize({ width: 1280, height: 800 });
  await shot(gil, 'guardian-messages-en-1280');
  await gil.getByLabel('Language').selectOption('es');
  await gil.getByRole('heading', { level: 1, name: 'Mensajes' }).waitFor();
  {
    const text = await banner.textContent();
    check(text.includes('En nombre de Milo.') && text.includes('Ha entrado como Gil Minor, tutor legal.'),
          'whom Gil acts for, in Spanish: ' + text);
  }
  await shot(gil, 'guardian-messages-es-1280');

  // 5. The page's words: from the server's gettext catalogues, in the
  // language the browser's Accept-Language asks for, unless the person
  // chose one with the switcher.
  for (const [accept, expected] of [['es-MX,es;q=0.9,en;q=0.5', 'es'], ['fr-FR, en;q=0.8, es;q=0.5', 'en'],
                                    ['de', 'en'], ['en;q=0.2, es;q=0.9', 'es']]) {
    const response = await fetch(base + '/portal/i18n.js', { headers: { 'Accept-Language': accept } });
    const script = await response.text();
    check(response.status === 200 && script.includes("window.TEND_LANG = '" + expected + "'"),
          'Accept-Language ' + accept + ' gives ' + expected);
    check(script.includes('"signin.title":"Entrar"') && script.includes('"signin.title":"Sign in"'),
          'both languages, the Spanish from the catalogue');
    check((response.headers.get('vary') || '').includes('Accept-Language'), 'Vary: Accept-Language');
  }
  const esContext = await browser.newContext({ locale: 'es-ES', viewport: { width: 390, height: 844 } });
  const esPage = await esContext.newPage();
  await esPage.goto(base + '/portal/');
  await esPage.getByRole('heading', { level: 1, name: 'Entrar' }).waitFor();
  check(await esPage.evaluate(() => document.documentElement.lang) === 'es', 'Spanish from Accept-Language');
  check(await esPage.getByLabel('Correo electrónico').count() === 1, 'the field\'s label in Spanish');
  await shot(esPage, 'signin-accept-language-es-390');
  // The switcher wins, and is kept.
  await esPage.getByLabel('Idioma').selectOption('en');
  await esPage.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  await esPage.reload();
  await esPage.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  check(await esPage.evaluate(() => document.documentElement.lang) === 'en', 'the chosen language kept over Accept-Language');
  await esContext.close();

  check(problems.length === 0, problems.join('; '));
  await browser.close();
}

main().then(() => {
  console.log('# portal-live.mjs: every check passed');
}, (e) => {
  console.error('# ' + (e && e.stack ? e.stack : e));
  process.exit(1);
});
