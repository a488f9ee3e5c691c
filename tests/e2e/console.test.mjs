// End-to-end test of the agent console: the real kefu-server (with --demo and the demo
// knowledge base) on 127.0.0.1, the console in headless Chromium, and a customer's
// WebSocket in a second page. Run by scripts/test-browser.sh; alone:
//   KEFU_SERVER_BIN=../../target/debug/kefu-server KEFU_KB=../../target/browser-test/kb.bin node --test console.test.mjs
//
// What it proves:
// 1. The demo agent signs in; the waiting conversation shows the handoff reason, slots and
//    the bot transcript first — with markup from the customer shown as text, never run.
// 2. The agent claims it and replies; the customer receives the reply over WebSocket.
// 3. The customer's next message appears in the console (as text) and the knowledge base's
//    suggestion for it is sent with one click.
// 4. No Content-Security-Policy violation and no script dialog happen on the way.
// It saves a screenshot of the console to KEFU_CONSOLE_SCREENSHOT (default target/e2e/console.png).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const BIN = resolve(process.env.KEFU_SERVER_BIN ?? '../../target/debug/kefu-server');
const KB = process.env.KEFU_KB ? resolve(process.env.KEFU_KB) : null;
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOT = resolve(process.env.KEFU_CONSOLE_SCREENSHOT ?? '../../target/e2e/console.png');
const SCRIPT = '<script>window.__pwned = 1; alert(1)</script><img src=x onerror="window.__pwned = 2">';

let server, base, dir, browser;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kefu-console-'));
  const args = ['--listen', '127.0.0.1:0', '--database-url', `sqlite://${join(dir, 'kefu.db')}`, '--demo'];
  if (KB) args.push('--kb', KB);
  server = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, KEFU_LOG: 'warn' } });
  base = await new Promise((ok, fail) => {
    const lines = createInterface({ input: server.stdout });
    lines.on('line', (l) => {
      const m = l.match(/listening on (http:\/\/[^/]+)\//);
      if (m) ok(m[1]);
    });
    server.on('exit', (code) => fail(new Error(`kefu-server exited ${code}`)));
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  server?.kill();
  rmSync(dir, { recursive: true, force: true });
});

/** A customer: hands off over HTTP, then talks over a WebSocket in a browser page. */
async function customer(page) {
  const r = await fetch(`${base}/api/v1/handoff`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      handoff: {
        reason: 'customer-request', detail: '客户要求人工', at: Math.floor(Date.now() / 1000),
        transcript: [
          { speaker: 'customer', text: SCRIPT, at: 1 },
          { speaker: 'bot', text: '抱歉，我没听懂。', at: 2 },
          { speaker: 'customer', text: '转人工', at: 3 },
        ],
        slots: [{ name: '订单号', value: '123456' }], entries_tried: [], flow: null, emotion: null,
      },
      locale: 'zh-CN',
    }),
  });
  assert.equal(r.status, 201);
  const created = await r.json();
  await page.goto(`${base}/healthz`);
  await page.evaluate(({ url }) => new Promise((ok) => {
    window.frames_ = [];
    const ws = new WebSocket(url);
    window.ws_ = ws;
    ws.onmessage = (e) => window.frames_.push(JSON.parse(e.data));
    ws.onopen = ok;
  }), { url: `${base.replace('http', 'ws')}${created.ws_url}?token=${created.customer_token}` });
  return created;
}

test('an agent claims a waiting conversation and replies from the console', async () => {
  const context = await browser.newContext();
  const violations = [];
  const dialogs = [];
  const agentPage = await context.newPage();
  agentPage.on('console', (m) => { if (/Content.Security.Policy|Refused to/i.test(m.text())) violations.push(m.text()); });
  agentPage.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  const customerPage = await (await browser.newContext()).newPage();
  const conv = await customer(customerPage);

  await agentPage.goto(`${base}/console/`);
  await agentPage.getByTestId('login-name').fill('demo');
  await agentPage.getByTestId('login-password').fill('demo-agent-password');
  await agentPage.getByTestId('login-submit').click();
  await agentPage.getByTestId('me').getByText('演示客服').waitFor();

  await agentPage.getByTestId(`conversation-${conv.conversation}`).click();
  await agentPage.getByTestId('ctx-reason').getByText('客户要求人工').waitFor();
  assert.match(await agentPage.getByTestId('ctx-slots').textContent(), /订单号：12\*\*56/);
  // The transcript shows the markup as text; nothing ran.
  const transcript = await agentPage.getByTestId('ctx-transcript').textContent();
  assert.ok(transcript.includes(SCRIPT), transcript);
  assert.equal(await agentPage.getByTestId('ctx-transcript').locator('img, script').count(), 0);

  await agentPage.getByTestId('claim').click();
  await agentPage.getByTestId('conv-status').getByText('我在处理').waitFor();
  await customerPage.waitForFunction(() => window.frames_.some((f) => f.type === 'agent-joined'));

  await agentPage.getByTestId('reply').fill('您好，我是客服，请问有什么可以帮您？');
  await agentPage.getByTestId('send').click();
  await customerPage.waitForFunction(() => window.frames_.some((f) => f.type === 'message' && f.from === 'agent'
    && f.content.text === '您好，我是客服，请问有什么可以帮您？'));

  // The customer writes; the console shows it as text and suggests an answer.
  await customerPage.evaluate((text) => window.ws_.send(JSON.stringify({ type: 'send', id: 'c-1', content: { kind: 'text', text } })),
    `怎么开发票？${SCRIPT}`);
  await agentPage.getByTestId('messages').getByText(`怎么开发票？${SCRIPT}`).waitFor();
  assert.equal(await agentPage.getByTestId('messages').locator('script, img').count(), 0);
  if (KB) {
    // The list shown on opening (for the transcript's last question) is replaced once the
    // suggestions for this message arrive; read and click only the new one.
    await agentPage.locator('#sugg-question').getByText('怎么开发票').waitFor();
    const first = agentPage.getByTestId('suggestion').first();
    await first.waitFor();
    const answer = await first.locator('.a').textContent();
    await first.getByTestId('use-suggestion').click();
    await customerPage.waitForFunction((a) => window.frames_.some((f) => f.type === 'message' && f.from === 'agent'
      && f.content.text === a), answer);
  }
  assert.equal(await agentPage.evaluate(() => window.__pwned ?? 0), 0);
  assert.deepEqual(dialogs, []);
  assert.deepEqual(violations, []);

  await agentPage.setViewportSize({ width: 1280, height: 900 });
  await agentPage.screenshot({ path: SCREENSHOT, fullPage: true });

  // Statistics from two visits, then the dashboard (its own script, no inline code).
  const now = Math.floor(Date.now() / 1000);
  for (const [visit, events] of [
    ['v-1', [{ type: 'opened' }, { type: 'answered', entry: 'invoice' }, { type: 'rating', satisfied: true }]],
    ['v-2', [{ type: 'opened' }, { type: 'fallback', text: '能开增值税专用发票吗' }, { type: 'handoff', reason: 'unrecognised' }]],
  ]) {
    const r = await fetch(`${base}/api/v1/events`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ visit, events: events.map((e) => ({ at: now, ...e })) }),
    });
    assert.equal(r.status, 204);
  }
  await agentPage.goto(`${base}/console/dashboard.html`);
  await agentPage.locator('#c-conversations').getByText('2').waitFor();
  assert.equal(await agentPage.locator('#c-handoff').textContent(), '50.0%');
  assert.match(await agentPage.getByTestId('unanswered').textContent(), /能开增值税专用发票吗/);
  await agentPage.screenshot({ path: SCREENSHOT.replace(/\.png$/, '-dashboard.png'), fullPage: true });
  await agentPage.getByTestId('chart').locator('rect').first().waitFor({ state: 'attached' });
  if (KB) assert.equal(await agentPage.locator('#c-suggestions').textContent(), '1');
  assert.deepEqual(violations, []);
});
