// SPDX-License-Identifier: GPL-3.0-or-later
//
// Joins a video session from Debian's Chromium (headless, fake camera and
// microphone) through the join link given as the first argument; prints
// "frames N ms T route R" once the page has decoded more than 10 frames
// from the clinician (T: ms since the page was asked for; R: the type of
// the page's own candidate in use, "relay" through TURN), then waits for a line on standard input before leaving.
// With "drop" as the third argument, the page's socket to the practice is
// dropped once frames flow (as a network failure would), and the line is
// printed only once the page is back in the call by itself and decodes
// frames again.
// Run by test-browser.c, which plays the clinician with a TendCall.
import readline from 'node:readline';
import { launchVideoChromium } from './video-chromium.mjs';

const url = process.argv[2];
const shots = process.env.TEND_TEST_SCREENSHOTS;
const browser = await launchVideoChromium();
try {
  // The browser's language (its Accept-Language): "es-ES" or the default.
  const locale = process.argv[3] || 'en-US';
  const page = await browser.newPage({ viewport: { width: 1024, height: 720 }, locale: locale });
  const problems = [];
  // Every file the page loads is there (the browser's own favicon request aside).
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`${r.url()}: ${r.status()}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  const started = Date.now();
  const response = await page.goto(url);
  if (response.status() !== 200) throw new Error(`the join page answered ${response.status()}`);
  const stateIs = async (state, timeout) => {
    try {
      await page.waitForFunction((s) => document.body.dataset.state === s, state, { timeout: timeout });
    } catch (e) {
      const now = await page.evaluate(() => document.body.dataset.state + ': ' + document.getElementById('status').textContent);
      throw new Error(`the page did not reach "${state}": ${now}; ${problems.join('; ')}`);
    }
  };
  // The waiting room first (the test's clinician admits at once).
  await page.waitForFunction(() => document.body.dataset.waited === 'true', null, { timeout: 20000 });
  await page.waitForFunction(() => Number(document.body.dataset.framesDecoded || 0) > 10, null, { timeout: 30000 });
  if (process.argv[4] === 'drop') {
    console.log('dropping the connection');
    await page.evaluate(() => window.dispatchEvent(new Event('tend-test-drop-connection')));
    await page.waitForFunction(() => document.body.dataset.state === 'reconnecting', null, { timeout: 5000 });
    if (shots) {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: `${shots}/video-browser-reconnecting-${locale}-390.png`, fullPage: true });
      await page.setViewportSize({ width: 1024, height: 720 });
    }
    await page.waitForFunction(() => document.body.dataset.rejoins === '1', null, { timeout: 20000 });
    await page.waitForFunction(() => Number(document.body.dataset.framesDecoded || 0) > 10, null, { timeout: 30000 });
    await stateIs('connected', 10000);
  }
  await page.waitForFunction(() => document.body.dataset.route, null, { timeout: 10000 });
  const frames = await page.evaluate(() => Number(document.body.dataset.framesDecoded));
  const route = await page.evaluate(() => document.body.dataset.route);
  // The page speaks the browser's language, its later texts too.
  const texts = await page.evaluate(() => [document.getElementById('status').textContent,
                                           document.getElementById('hangup').textContent]);
  const expected = locale.startsWith('es') ? ['Conectado', 'Salir'] : ['Connected', 'Leave'];
  if (texts.join('|') !== expected.join('|')) problems.push(`the page says "${texts.join('", "')}" in ${locale}`);
  // The network quality, from the connection's statistics: a grade in
  // words (not colour alone), with the figures behind it.
  await page.waitForFunction(() => !document.getElementById('quality').hidden, null, { timeout: 10000 });
  const [quality, qualityText, qualityTitle] = await page.evaluate(() => {
    const el = document.getElementById('quality');
    return [el.dataset.quality, document.getElementById('quality-text').textContent, el.title];
  });
  const words = locale.startsWith('es')
    ? { good: 'Conexión: buena', fair: 'Conexión: regular', poor: 'Conexión: mala' }
    : { good: 'Connection: good', fair: 'Connection: fair', poor: 'Connection: poor' };
  console.log(`quality ${quality}: ${qualityTitle}`);
  if (!words[quality] || words[quality] !== qualityText) problems.push(`the quality reads "${qualityText}" (${quality})`);
  if (!/\d+ ms, [\d.]+ % .* (\d+|\?) kbit\/s/.test(qualityTitle)) problems.push(`the quality's figures read "${qualityTitle}"`);
  // Choosing another microphone: the page takes a track from it and puts
  // it in place on the connection; the call goes on.
  const devices = await page.evaluate(() => [document.querySelectorAll('#camera-select option').length,
                                             Array.from(document.querySelectorAll('#microphone-select option'))
                                               .map((o) => o.value)]);
  console.log(`devices: ${devices[0]} cameras, ${devices[1].length} microphones`);
  if (devices[0] < 1 || devices[1].length < 2) problems.push(`the page lists ${devices[0]} cameras, ${devices[1].length} microphones`);
  else {
    const before = await page.evaluate(() => Number(document.body.dataset.framesDecoded));
    const other = devices[1][devices[1].length - 1];
    await page.selectOption('#microphone-select', other);
    await page.waitForFunction((id) => document.body.dataset.microphone === id, other, { timeout: 5000 });
    await page.waitForFunction((n) => Number(document.body.dataset.framesDecoded) > n + 10, before, { timeout: 10000 });
    await stateIs('connected', 1000);
  }
  // Where the sound goes: offered when the browser can (setSinkId) and has
  // outputs; choosing one sends the clinician's sound there.
  const speakers = await page.evaluate(async () => {
    const outputs = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'audiooutput');
    return { hidden: document.getElementById('speaker-label').hidden,
             can: 'setSinkId' in HTMLMediaElement.prototype,
             outputs: outputs.length,
             options: Array.from(document.querySelectorAll('#speaker-select option')).map((o) => o.value) };
  });
  console.log(`speakers: ${speakers.outputs} outputs, setSinkId ${speakers.can}, offered ${!speakers.hidden}`);
  if (speakers.hidden !== (!speakers.can || speakers.outputs === 0))
    problems.push(`the speaker choice is ${speakers.hidden ? 'hidden' : 'shown'} with ${speakers.outputs} outputs`);
  else if (!speakers.hidden && speakers.options.length >= 2) {
    const other = speakers.options[speakers.options.length - 1];
    await page.selectOption('#speaker-select', other);
    await page.waitForFunction((id) => document.body.dataset.speaker === id, other, { timeout: 5000 });
    const sinks = await page.evaluate(() => Array.from(document.querySelectorAll('#remotes video')).map((v) => v.sinkId));
    if (!sinks.every((id) => id === other)) problems.push(`the clinician's sound goes to ${sinks.join(', ')}, not ${other}`);
    await stateIs('connected', 1000);
  }
  if (shots) {
    await page.waitForTimeout(1000);
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width: width, height: width < 600 ? 844 : 800 });
      await page.waitForTimeout(300);
      await page.screenshot({ path: `${shots}/video-browser-call-${locale}-${width}.png`, fullPage: true });
    }
  }
  if (problems.length > 0) throw new Error('the page reported: ' + problems.join('; '));
  console.log(`frames ${frames} ms ${Date.now() - started} route ${route} quality ${quality}`);
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) { if (line === 'done') break; }
  lines.close();
  process.stdin.destroy();
  await page.click('#hangup');
  await stateIs('ended', 5000);
} finally {
  await browser.close();
}
process.exit(0);
