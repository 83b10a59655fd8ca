/** Headless Chromium for report tests: loads a page from disk, dumps its DOM and takes a screenshot. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function findChromium(): string | undefined {
  for (const candidate of [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
  ]) {
    if (candidate && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

// Flags keep Chromium from reaching for the network (refused here) and from needing a sandbox as root.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--hide-scrollbars',
];

export interface PageCapture {
  readonly dom: string;
  readonly screenshot: Buffer;
  readonly stderr: string;
}

export function capturePage(
  chromium: string,
  htmlFile: string,
  screenshotFile: string,
  window: { readonly width: number; readonly height: number } = { width: 1200, height: 2600 },
): PageCapture {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'eou-chromium-'));
  const url = `file://${path.resolve(htmlFile)}`;
  try {
    const common = [...FLAGS, `--user-data-dir=${profile}`, `--window-size=${window.width},${window.height}`];
    const dom = execFileSync(chromium, [...common, '--dump-dom', url], {
      encoding: 'utf8',
      timeout: 60_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    execFileSync(chromium, [...common, `--screenshot=${path.resolve(screenshotFile)}`, url], {
      timeout: 60_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { dom, screenshot: fs.readFileSync(screenshotFile), stderr: '' };
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}
