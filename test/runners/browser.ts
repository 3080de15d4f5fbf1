// Headless Chromium from Debian, driven by playwright-core (which downloads no browser).
import * as fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const DEFAULT_CHROMIUM = '/usr/bin/chromium';

const CHROMIUM_FLAGS = [
  // Root in a container has no user namespaces for the sandbox.
  '--no-sandbox',
  '--disable-gpu',
  // Nothing may reach the network or pop up: these machines only see the npm registry.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** CHROMIUM_PATH overrides the Debian location. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM;
  if (!fs.existsSync(executablePath)) throw new Error(`no Chromium at ${executablePath}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  // Playwright's own signal handlers would exit the process at once, before our teardown has
  // stopped code-server; the runners' Teardown closes the browser instead.
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS, timeout: 60_000, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
}
