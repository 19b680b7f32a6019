// SPDX-License-Identifier: GPL-3.0-or-later
//
// bench-video-browser's browser: Debian's headless Chromium (fake camera
// and microphone, as the browser suite runs it), started once.  For each
// join link read from standard input it opens the page in a fresh browser
// context (an empty cache, as a client's first visit), waits for the first
// picture from the clinician, prints one line
//   "load first-frame MS script MS devices MS socket MS waiting MS admitted MS offer MS connected MS"
// (each step on the page's own clock, ms from the start of its load:
// src/server/video/join.js marks them), then, on the line "leave", leaves
// the call and closes the context.  Needs tests/browser's npm packages (build-aux/install-node-deps.sh).
import readline from 'node:readline';
import { launchVideoChromium } from '../tests/browser/video-chromium.mjs';

const steps = ['first-frame', 'script', 'devices', 'socket', 'waiting', 'admitted', 'offer', 'connected'];
const browser = await launchVideoChromium();
const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const next = async () => { const r = await lines.next(); return r.done ? '' : r.value; };
try {
  for (let url = await next(); url !== ''; url = await next()) {
    const context = await browser.newContext({ viewport: { width: 1024, height: 720 } });
    const page = await context.newPage();
    const response = await page.goto(url);
    if (response.status() !== 200) throw new Error(`the join page answered ${response.status()}`);
    try {
      await page.waitForFunction(() => performance.getEntriesByName('tend-first-frame').length > 0, null,
                                 { timeout: 30000 });
    } catch (e) {
      const now = await page.evaluate(() => document.body.dataset.state + ': ' +
        document.getElementById('status').textContent + '; steps: ' +
        performance.getEntriesByType('mark').map((m) => m.name).join(', '));
      throw new Error(`no picture from the clinician within 30 s (${now})`);
    }
    const times = await page.evaluate((names) => names.map((n) => {
      const e = performance.getEntriesByName('tend-' + n)[0];
      return e ? Math.round(e.startTime) : -1;
    }), steps);
    console.log('load ' + steps.map((n, i) => `${n} ${times[i]}`).join(' '));
    // Until the clinician has the client's picture too.
    if ((await next()) !== 'leave') break;
    await page.click('#hangup');
    await page.waitForFunction(() => document.body.dataset.state === 'ended', null, { timeout: 5000 });
    await context.close();
  }
} finally {
  await browser.close();
}
process.exit(0);
