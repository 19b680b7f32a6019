// SPDX-License-Identifier: GPL-3.0-or-later
//
// The client portal in Debian's headless Chromium (playwright-core, no
// browser download), for test-portal-browser.c, which starts tend-server,
// PostgreSQL and the SMTP server and passes:
//   PORTAL_BASE   http://127.0.0.1:PORT
//   MAIL_DIR      where the SMTP server keeps each message (msg-N.eml)
//   CLIENT_EMAIL  the invited client's address
//   TEND_TEST_SCREENSHOTS (optional) a folder for every page at 390 and
//                 1280 px wide, in English and Spanish
// Exits non-zero at the first failed check, naming it.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const axeSource = require('axe-core').source;

const base = process.env.PORTAL_BASE;
const mailDir = process.env.MAIL_DIR;
const email = process.env.CLIENT_EMAIL;
const shots = process.env.TEND_TEST_SCREENSHOTS || null;

function check (ok, what) {
  if (!ok)
    throw new Error('check failed: ' + what);
}

// The captured messages to @to, oldest first, each as {subject, text}.
function mails (to) {
  const out = [];
  for (const name of fs.readdirSync(mailDir).filter((n) => /^msg-\d+\.eml$/.test(n)).sort()) {
    const raw = fs.readFileSync(path.join(mailDir, name), 'utf8');
    const headEnd = raw.indexOf('\r\n\r\n');
    const head = raw.slice(0, headEnd);
    if (!new RegExp('^X-Sink-To: .*' + to.replace(/[.]/g, '\\.'), 'mi').test(head))
      continue;
    // The text part, in base64 (tend-server-outbox.c writes every body so).
    const parts = raw.split(/Content-Transfer-Encoding: base64\r\n\r\n/);
    check(parts.length >= 2, 'a base64 body in ' + name);
    const b64 = parts[1].split(/\r\n\r\n|\r\n--/)[0].replace(/\s/g, '');
    out.push({ name, head, text: Buffer.from(b64, 'base64').toString('utf8') });
  }
  return out;
}

async function waitForMail (to, count, what) {
  const deadline = Date.now() + 20000;
  for (;;) {
    const list = mails(to);
    if (list.length >= count)
      return list[count - 1];
    if (Date.now() > deadline)
      throw new Error('no ' + what + ' e-mail arrived');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const problems = [];
let currentPage = null;
const consoleLines = [];

async function axe (page, label) {
  // Through the DevTools protocol: the page's CSP allows no injected script.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                                      nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
  for (const v of result)
    problems.push(label + ': ' + v.id + ' (' + v.impact + ') ' + v.help + ' at ' + v.nodes.join(', '));
  console.log('# axe ' + label + ': ' + result.length + ' violations');
}

async function noInjection (page, label) {
  const injected = await page.evaluate(() => ({
    flag: window.__xss || 0,
    images: document.querySelectorAll('img').length,
    scripts: Array.from(document.scripts).map((s) => s.getAttribute('src'))
  }));
  check(injected.flag === 0, label + ': no payload ran');
  check(injected.images === 0, label + ': no element made from data');
  check(injected.scripts.every((s) => s !== null), label + ': only the page\'s own scripts');
}

async function shot (page, name) {
  if (shots) {
    fs.mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, name + '.png'), fullPage: true });
  }
}

async function heading (page, text) {
  await page.getByRole('heading', { level: 1, name: text }).waitFor({ state: 'visible', timeout: 10000 });
}

async function main () {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--disable-dev-shm-usage'],
  });
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'America/New_York',
                                             viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  currentPage = page;
  const cspErrors = [];
  page.on('console', (m) => {
    consoleLines.push(m.text());
    if (/Content Security Policy|Refused to/i.test(m.text()))
      cspErrors.push(m.text());
  });
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('dialog', (d) => { problems.push('a dialog opened: ' + d.message()); d.dismiss(); });

  // The scan can fail: an unlabelled field is found.
  {
    const probe = await context.newPage();
    await probe.setContent('<!DOCTYPE html><html lang="en"><title>t</title><main><input type="text"></main></html>');
    await probe.evaluate(axeSource);
    const n = await probe.evaluate(async () => (await window.axe.run()).violations.length);
    check(n > 0, 'axe-core finds an unlabelled field');
    await probe.close();
  }

  // 1. The invitation's link signs the client in once.
  const invite = await waitForMail(email, 1, 'invitation');
  check(/invites you to their client portal/.test(invite.text), 'the invitation text');
  const link = invite.text.match(/(http:\/\/\S+#link=\S+)/);
  check(link, 'a link in the invitation');
  check(link[1].startsWith(base + '/portal/'), 'the link points at portal-url');
  await page.goto(link[1]);
  await heading(page, 'Appointments');
  check(!(await page.evaluate(() => window.location.hash.includes('link='))), 'the token left the address bar');
  await page.getByText('Riverbend Counseling').first().waitFor();
  await axe(page, 'appointments (en, 360)');
  await noInjection(page, 'appointments');

  // The same link again: used.
  const second = await context.newPage();
  await second.goto(link[1]);
  await second.getByText('This sign-in link has expired or was used already').waitFor();
  await second.close();

  // 2. Sign out, then in with a code from the next e-mail.
  await page.getByRole('link', { name: 'Account' }).click();
  await heading(page, 'Account');
  await axe(page, 'account (en, 360)');
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await heading(page, 'Sign in');
  await axe(page, 'sign in (en, 360)');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByRole('button', { name: 'Send me a code' }).click();
  await page.getByLabel('Six-digit code').waitFor();
  await axe(page, 'code (en, 360)');
  const codeMail = await waitForMail(email, 2, 'sign-in code');
  const code = codeMail.text.match(/\b(\d{6})\b/);
  check(code, 'a six-digit code in the e-mail');
  await page.getByLabel('Six-digit code').fill(code[1] === '000000' ? '111111' : '000000');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('That code is not right').waitFor();
  await page.getByLabel('Six-digit code').fill(code[1]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await heading(page, 'Appointments');

  // 3. Appointments: confirm one; cancel the other, its fee shown first.
  const cards = page.locator('#appointments-list > li');
  check(await cards.count() === 2, 'two appointments');
  const soon = cards.nth(0);
  const later = cards.nth(1);
  check((await soon.textContent()).includes('Video session'), 'the video session says so');
  check((await later.textContent()).includes('12 Elm Street, Springfield, IL'), 'the practice address');
  check(/EST|EDT|GMT-[45]/.test(await later.locator('h2').textContent()), 'the time in the client\'s zone');
  // Another time, from the offered ones: a request, the appointment unchanged.
  await later.getByRole('button', { name: 'Ask for another time' }).click();
  const move = later.locator('form.panel');
  await move.getByRole('radio').first().waitFor();
  await axe(page, 'another time (en, 360)');
  await shot(page, 'another-time-en-360');
  await move.getByRole('radio').first().check();
  await move.getByRole('button', { name: 'Send the request' }).click();
  await page.getByText('Request sent.').waitFor();
  await later.getByRole('button', { name: 'Confirm' }).click();
  await page.getByText('Appointment confirmed.').waitFor();
  await page.locator('#appointments-list > li').nth(1).getByText('Confirmed').waitFor();
  await page.locator('#appointments-list > li').nth(0).getByRole('button', { name: 'Cancel appointment' }).click();
  const panel = page.locator('#appointments-list > li').nth(0).locator('form.panel');
  await panel.getByText('late-cancellation fee of $45.00').waitFor();
  await axe(page, 'cancel panel (en, 360)');
  await shot(page, 'cancel-en-360');
  await panel.getByLabel('Reason (optional)').fill('Car trouble');
  await panel.getByRole('button', { name: 'Yes, cancel it' }).click();
  await page.getByText('Appointment cancelled.').waitFor();
  await page.locator('#appointments-list > li').nth(0).getByText('Cancelled late').waitFor();

  // 4. Forms: sign the consent; answer the PHQ-9 and the AUDIT-C.
  await page.getByRole('link', { name: 'Forms' }).click();
  await heading(page, 'Forms');
  await axe(page, 'forms (en, 360)');
  await page.locator('#forms-list > li', { hasText: 'Consent to treatment' }).getByRole('button', { name: 'Open' }).click();
  const consentText = await page.locator('.consent-text').textContent();
  check(consentText.includes('<script>window.__xss=1</script>'), 'the consent\'s text shown as text');
  await noInjection(page, 'consent');
  await axe(page, 'consent (en, 360)');
  await shot(page, 'consent-en-360');
  await page.getByLabel('Your full name').fill('Dana Client');
  await page.getByLabel('I have read this and agree').check();
  await page.getByRole('button', { name: 'Sign', exact: true }).click();
  await page.getByText('Signed as Dana Client').waitFor();
  // The treatment plan the clinician signed, in plain words, co-signed the
  // same way.
  const planCard = page.locator('#forms-list > li', { hasText: 'Your treatment plan' });
  await planCard.getByText('Treatment plan to sign').waitFor();
  await planCard.getByRole('button', { name: 'Open' }).click();
  const planText = await page.locator('.consent-text').textContent();
  check(planText.includes('What we will work on: Panic attacks <script>window.__xss=1</script>'),
        'the plan\'s problem shown as text');
  check(planText.includes('  • One stop with a friend, by 2027-02-01'), 'the plan\'s objective with its date');
  check(planText.includes('How often we meet: Weekly, 50 minutes'), 'the plan\'s frequency');
  await page.getByText('This is your treatment plan as your clinician signed it.', { exact: false }).waitFor();
  await noInjection(page, 'plan');
  await axe(page, 'plan (en, 360)');
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 800 });
    await shot(page, 'plan-en-' + width);
  }
  await page.setViewportSize({ width: 360, height: 740 });
  await page.getByLabel('Your full name').fill('Dana Client');
  await page.getByLabel('I have read my treatment plan and agree with it').check();
  await page.getByRole('button', { name: 'Sign', exact: true }).click();
  await page.locator('#forms-list > li', { hasText: 'Your treatment plan' }).getByText('Signed as Dana Client').waitFor();
  await page.locator('#forms-list > li', { hasText: 'PHQ-9' }).getByRole('button', { name: 'Open' }).click();
  const items = page.locator('fieldset.item');
  check(await items.count() === 9, 'nine PHQ-9 items');
  await axe(page, 'questionnaire (en, 360)');
  await shot(page, 'questionnaire-en-360');
  // 1+1+1+1+1+1+1+1+1 = 9: item 9 above 0 raises the alert.
  for (let i = 0; i < 9; i++)
    await items.nth(i).getByRole('radio').nth(1).check();
  await page.getByRole('button', { name: 'Send answers' }).click();
  await page.getByText('Answers sent. Thank you.').waitFor();
  // The AUDIT-C: each item with its own answers (item 2 counts drinks).
  await page.locator('#forms-list > li', { hasText: 'AUDIT-C' }).getByRole('button', { name: 'Open' }).click();
  const audit = page.locator('fieldset.item');
  check(await audit.count() === 3, 'three AUDIT-C items');
  check(await audit.nth(0).getByLabel('Monthly or less', { exact: true }).count() === 1, 'AUDIT-C item 1 answers');
  check(await audit.nth(1).getByLabel('3 or 4', { exact: true }).count() === 1, 'AUDIT-C item 2 answers its own');
  check(await audit.nth(1).getByLabel('Monthly or less', { exact: true }).count() === 0, 'not item 1\'s answers');
  await axe(page, 'AUDIT-C (en, 360)');
  await shot(page, 'questionnaire-auditc-en-360');
  // 1+1+1 = 3.
  for (let i = 0; i < 3; i++)
    await audit.nth(i).getByRole('radio').nth(1).check();
  await page.getByRole('button', { name: 'Send answers' }).click();
  await page.getByText('Answers sent. Thank you.').waitFor();

  // The intake form: every field labelled (axe), what is filled in sent.
  await page.locator('#forms-list > li', { hasText: 'Contact and Insurance Details' }).getByRole('button', { name: 'Open' }).click();
  await page.getByLabel('Mobile phone').waitFor();
  await axe(page, 'intake (en, 360)');
  await shot(page, 'intake-en-360');
  await page.getByRole('button', { name: 'Send details' }).click();
  await page.getByText('Fill in at least one detail first.').waitFor();
  await page.getByLabel('Mobile phone').fill(' 512 555 0142 ');
  await page.getByLabel('Member ID').fill('XJ-42 <script>window.__xss=3</script>');
  await page.getByRole('button', { name: 'Send details' }).click();
  await page.getByText('Details sent. The practice will check them. Thank you.').waitFor();
  await noInjection(page, 'intake');

  // 5. Messages: the thread, the notice, a message sent.
  await page.getByRole('link', { name: 'Messages' }).click();
  await heading(page, 'Messages');
  await page.getByText('Not for emergencies: call 988 or 911.').waitFor();
  await page.locator('#messages-list li').first().waitFor();
  check((await page.locator('#messages-list').textContent()).includes('<img src=x onerror=window.__xss=2>'),
        'the staff message shown as text');
  check((await page.locator('#conversation-title').textContent()).includes('<script>'), 'the subject shown as text');
  await noInjection(page, 'messages');
  await axe(page, 'messages (en, 360)');
  await page.getByLabel('Your message').fill('See you Thursday. <b>Thanks</b>');
  await page.getByRole('button', { name: 'Send' }).click();
  await page.locator('#messages-list li.mine', { hasText: 'See you Thursday. <b>Thanks</b>' }).waitFor();
  // A conversation of the client's own (the practice takes them).
  await page.getByRole('button', { name: 'Write to the practice' }).click();
  await page.getByRole('heading', { name: 'New conversation' }).waitFor();
  check(!(await page.getByRole('button', { name: 'Write to the practice' }).isVisible()), 'the button hidden while writing');
  check(!(await page.locator('#conversation').isVisible()), 'the open thread set aside while writing');
  await axe(page, 'new conversation (en, 360)');
  await shot(page, 'new-conversation-en-360');
  await page.getByLabel('Subject (optional)').fill('Moving Thursday');
  await page.getByLabel('Message', { exact: true }).fill('Could we meet Friday instead?');
  await page.getByRole('button', { name: 'Send to the practice' }).click();
  await page.getByText('Message sent. The practice will answer here.').waitFor();
  await page.locator('#messages-list li.mine', { hasText: 'Could we meet Friday instead?' }).waitFor();
  check((await page.locator('#conversation-title').textContent()) === 'Moving Thursday', 'the new thread open');

  // 6. Documents: the signed consent, kept as a PDF the client may download.
  await page.getByRole('link', { name: 'Documents' }).click();
  await heading(page, 'Documents');
  // The safety plan the clinician shared, in the client's words, as text.
  await page.getByRole('heading', { name: 'Your Safety Plan' }).waitFor();
  await page.locator('#safety-plan-steps li', { hasText: 'Sister Dana 555-0142' }).waitFor();
  check((await page.locator('#safety-plan-steps').textContent()).includes('Skipping meals <script>window.__xss=1</script>'),
        'the safety plan shown as text');
  check((await page.locator('#safety-plan-crisis').textContent()).includes('call or text 988'), 'the crisis line');
  await noInjection(page, 'documents');
  await axe(page, 'documents (en, 360)');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download Consent to treatment (signed)' }).click(),
  ]);
  const pdfPath = await download.path();
  check(fs.readFileSync(pdfPath).subarray(0, 5).toString() === '%PDF-', 'the signed consent downloads as a PDF');
  // The statement Billing shared: named by its kind and number, saved as
  // the server names it.
  const [statement] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download Statement ST-000042' }).click(),
  ]);
  check(statement.suggestedFilename() === 'statement-ST-000042.pdf', 'the statement\'s file name: ' + statement.suggestedFilename());
  check(fs.readFileSync(await statement.path()).subarray(0, 5).toString() === '%PDF-', 'the shared statement downloads as a PDF');

  // 7. Spanish, and the desktop width.
  await page.getByLabel('Language').selectOption('es');
  await heading(page, 'Documentos');
  check(await page.evaluate(() => document.documentElement.lang) === 'es', 'lang="es"');
  for (const [link, title] of [['Citas', 'Citas'], ['Mensajes', 'Mensajes'], ['Formularios', 'Formularios'],
                               ['Documentos', 'Documentos'], ['Cuenta', 'Cuenta']]) {
    await page.getByRole('link', { name: link, exact: true }).click();
    await heading(page, title);
    await axe(page, title + ' (es, 360)');
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  for (const [link, title] of [['Citas', 'Citas'], ['Mensajes', 'Mensajes'], ['Formularios', 'Formularios']]) {
    await page.getByRole('link', { name: link, exact: true }).click();
    await heading(page, title);
    await axe(page, title + ' (es, 1280)');
  }

  // 8. Keyboard: the skip link comes first and moves focus to the content.
  await page.getByRole('link', { name: 'Citas', exact: true }).click();
  await page.reload();
  await page.locator('#appointments-list > li').first().waitFor();
  await page.keyboard.press('Tab');
  check(await page.evaluate(() => document.activeElement.className) === 'skip', 'the skip link is first');

  if (shots)
    await screenshots(browser, shots);

  // Sign out everywhere ends this session.
  await page.getByRole('link', { name: 'Cuenta' }).click();
  await page.getByRole('button', { name: 'Salir en todos los dispositivos' }).click();
  await heading(page, 'Entrar');

  check(cspErrors.length === 0, 'no CSP violations: ' + cspErrors.join('; '));
  await browser.close();
}

// Every page, 390 (a phone) and 1280 px wide, English and Spanish: a fresh sign-in
// with a code from the mail.
async function screenshots (browser, folder) {
  fs.mkdirSync(folder, { recursive: true });
  for (const lang of ['en', 'es']) {
    for (const width of [390, 1280]) {
      const context = await browser.newContext({ locale: lang === 'es' ? 'es-ES' : 'en-US',
                                                 timezoneId: 'America/New_York',
                                                 viewport: { width, height: width === 390 ? 844 : 800 } });
      const page = await context.newPage();
      await page.goto(base + '/portal/');
      await page.locator('#page-signin h1').waitFor();
      await page.screenshot({ path: path.join(folder, `signin-${lang}-${width}.png`), fullPage: true });
      const before = mails(email).length;
      await page.locator('#email').fill(email);
      await page.locator('#form-email button').click();
      const mail = await waitForMail(email, before + 1, 'screenshot code');
      await page.locator('#code').fill(mail.text.match(/\b(\d{6})\b/)[1]);
      await page.locator('#form-code button[type=submit]').click();
      for (const name of ['appointments', 'messages', 'forms', 'documents', 'account']) {
        await page.goto(base + '/portal/#' + name);
        await page.locator('#page-' + name + ' h1').waitFor({ state: 'visible' });
        await page.waitForTimeout(300);
        await page.screenshot({ path: path.join(folder, `${name}-${lang}-${width}.png`), fullPage: true });
      }
      await context.close();
    }
  }
}

main().then(() => {
  if (problems.length > 0) {
    for (const p of problems)
      console.error('# ' + p);
    process.exit(1);
  }
  console.log('# portal.mjs: every check passed');
}, async (e) => {
  console.error('# ' + (e && e.stack ? e.stack : e));
  for (const p of problems)
    console.error('# ' + p);
  if (currentPage) {
    try {
      console.error('# at ' + currentPage.url() + ', the page reads:\n' +
                    (await currentPage.locator('body').innerText()).replace(/^/gm, '#   '));
    } catch (err) { /* closed */ }
  }
  for (const line of consoleLines)
    console.error('# console: ' + line);
  process.exit(1);
});
