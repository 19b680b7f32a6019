// SPDX-License-Identifier: GPL-3.0-or-later
//
// Debian's headless Chromium for a video session: a fake camera and
// microphone that need no permission prompt, ICE on loopback (Chromium
// gathers no loopback candidates otherwise), sound without a gesture, and
// none of the browser's own network traffic.  Used by join.mjs (the
// browser suite) and bench/bench-video-browser.mjs.
import { chromium } from 'playwright-core';

export function launchVideoChromium() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
      '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-sandbox',
    ],
  });
}
