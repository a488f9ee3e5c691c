// Shared by the end-to-end tests and the benchmark: a static server for dist/ (with ETag and
// 304, like a real one, and a log of what it served), the host pages the widget is embedded
// in, Chromium through playwright-core, and a page object for the widget.

import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const DIST = resolve(process.env.KEFU_DIST ?? '../../dist');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.svg': 'image/svg+xml', '.bin': 'application/octet-stream', '.png': 'image/png',
};

/** The strict policy the widget needs: no inline script or style, no eval, only wasm. */
export const STRICT_CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
  + "img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none'";

/** Host pages: what a shop's page looks like around the snippet. */
export const PAGES = {
  // A shop page with the snippet and no kefu server (data-api absent).
  '/shop.html': `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>小麦商城</title>
<link rel="stylesheet" href="/demo-page.css"><script src="/kefu.js" data-kb="/kb.bin" async></script></head>
<body><main class="demo-page"><h1>小麦商城</h1><p>没有连接客服服务器的商店页面。</p></main></body></html>`,
  // Hostile CSS: rules that would wreck a widget living in the page's own DOM.
  '/hostile.html': `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<link rel="stylesheet" href="/hostile.css">
<script src="/kefu.js" data-kb="/kb.bin" async></script>
<script src="/kefu.js" data-kb="/kb.bin" async></script>
</head><body><h1>Host page</h1><p class="kefu-chip" id="host-chip">a host element named like the widget's</p></body></html>`,
  '/hostile.css': `* { font-size: 31px !important; letter-spacing: 4px !important; color: lime !important; }
button { width: 300px !important; height: 20px !important; background: magenta !important; border-radius: 0 !important; }
div, section, p { display: inline !important; margin: 50px !important; }
kefu-widget { display: none !important; }
body { font-family: serif; line-height: 4; }`,
  // A strict Content-Security-Policy (also sent as a header by the server).
  '/csp.html': `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>strict CSP</title><script src="/kefu.js" data-kb="/kb.bin" async></script></head>
<body><h1>Strict CSP host</h1></body></html>`,
  // window.kefuSettings and the JS API.
  '/api.html': `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<script src="/api-settings.js"></script><script src="/kefu.js" async></script></head>
<body><h1>API host</h1></body></html>`,
  '/api-settings.js': `window.kefuSettings = { kb: '/kb.bin', locale: 'en' };
window.kefuEvents = [];`,
  // A page whose knowledge base does not exist.
  '/missing-kb.html': `<!DOCTYPE html><html><head><meta charset="utf-8">
<script src="/kefu.js" data-kb="/missing.bin" async></script></head><body></body></html>`,
};

/** A static server for `root` plus PAGES on a free 127.0.0.1 port; `log` lists
 *  `[path, status]` of every request. `files` (path → body, read at each request, so a test
 *  may change it: a new deploy) answer before `root`. */
export async function serve(root = DIST, files = {}) {
  const log = [];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const headers = {};
    if (path === '/csp.html') headers['content-security-policy'] = STRICT_CSP;
    const send = (status, body, type) => {
      log.push([path, status]);
      res.writeHead(status, { ...headers, ...(type ? { 'content-type': type } : {}) }).end(body);
    };
    if (path === '/favicon.ico') return send(204);
    if (PAGES[path]) return send(200, PAGES[path], TYPES[extname(path)]);
    if (files[path] !== undefined) return send(200, files[path], TYPES[extname(path)]);
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(root)) return send(403, 'forbidden');
    let body;
    try {
      body = await readFile(file);
    } catch {
      return send(404, 'not found', 'text/plain');
    }
    const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
    headers.etag = etag;
    headers['cache-control'] = 'no-cache';
    if (req.headers['if-none-match'] === etag) return send(304);
    send(200, body, TYPES[extname(file)] ?? 'application/octet-stream');
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, log, url: `http://127.0.0.1:${server.address().port}` };
}

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** The widget on a page: what a customer sees and does. */
export class Widget {
  constructor(page) {
    this.page = page;
    this.launcher = page.getByTestId('kefu-launcher');
    this.window = page.getByTestId('kefu-window');
    this.input = page.getByTestId('kefu-input');
    this.messages = page.getByTestId('kefu-messages');
    this.bot = page.getByTestId('msg-bot');
    this.user = page.getByTestId('msg-user');
    this.items = page.locator('[data-testid=kefu-messages] > *');
  }
  async open() {
    await this.launcher.click();
    await this.window.waitFor({ state: 'visible' });
    await this.bot.first().waitFor();
    await this.settled();
  }
  /** Waits until no message was added for a moment. */
  async settled(quiet = 250) {
    let count = -1;
    for (let i = 0; i < 60; i++) {
      const now = await this.items.count();
      if (now === count) return now;
      count = now;
      await this.page.waitForTimeout(quiet);
    }
    return count;
  }
  /** Runs `act` and returns what was added to the conversation after it. */
  async turn(act) {
    const before = await this.items.count();
    await act();
    await this.items.nth(before).waitFor({ state: 'attached' });
    await this.settled();
    const added = this.items;
    const total = await added.count();
    const out = [];
    for (let i = before; i < total; i++) {
      const el = added.nth(i);
      out.push({
        testid: await el.getAttribute('data-testid'),
        kind: await el.getAttribute('data-kind'),
        entry: await el.getAttribute('data-entry'),
        text: await el.innerText(),
        locator: el,
      });
    }
    return out;
  }
  /** Types `text`, presses Enter; returns what was added. */
  ask(text) {
    return this.turn(async () => {
      await this.input.fill(text);
      await this.input.press('Enter');
    });
  }
  click(locator) {
    return this.turn(() => locator.click());
  }
  lastUserText() {
    return this.user.last().locator('.kefu-bubble').innerText();
  }
  /** The data-testid of the element focused inside the widget's shadow root. */
  focused() {
    return this.page.evaluate(() => document.querySelector('kefu-widget')?.shadowRoot?.activeElement?.dataset.testid);
  }
}

/** The text of all added items. */
export const texts = (added) => added.map((a) => a.text).join('\n');

/** Starts the real kefu-server (`--demo`, SQLite in `dir`) serving `dist` on `port`, and
 *  waits for /healthz. `env` is added to the process's environment. */
export async function startServer(bin, { port, dir, dist = DIST, env = {} }) {
  const server = spawn(bin, ['--listen', `127.0.0.1:${port}`, '--database-url', `sqlite://${dir}/kefu.db`,
    '--kb', join(dist, 'kb.bin'), '--static', dist, '--demo'],
  { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KEFU_SECRET: 'e2e-secret-of-32-bytes-0123456789', ...env } });
  let out = '';
  server.stdout.on('data', (d) => { out += d; });
  server.stderr.on('data', (d) => { out += d; });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return server;
    } catch {}
    if (i > 100 || server.exitCode !== null) throw new Error(`kefu-server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The demo agent signed in to the console of `url`, in a context of its own. */
export async function signInAgent(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${url}/console/`);
  await page.getByTestId('login-name').fill('demo');
  await page.getByTestId('login-password').fill('demo-agent-password');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('me').getByText('演示客服').waitFor();
  return { context, page };
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations inside the widget's shadow root in `target`
 *  (a page or a frame whose policy allows an inline script; strict-CSP pages load it from
 *  the test server instead, see widget.test.mjs). */
export async function axeViolations(target) {
  await target.addScriptTag({ content: AXE });
  const result = await target.evaluate(async () => {
    const r = await window.axe.run(document.querySelector('kefu-widget').shadowRoot, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.html) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
