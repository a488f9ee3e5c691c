// End-to-end tests of the widget against the real kefu-server (`--demo` orders, SQLite in a
// temporary folder), which also serves the widget, kb.bin and the host page, as a shop would
// run it. Run by scripts/test-browser.sh with KEFU_SERVER_BIN=target/release/kefu-server.
//
// What it proves:
// 1. The seeds' order example: 「我的订单123456发货了吗？」 as an anonymous customer → the
//    server asks for identity (401) → the widget asks for the phone's last 4 digits → the
//    order card (status timeline, carrier, tracking number, ETA) → 「什么时候能到？」 answers
//    from the same order, without repeating the card (a one-line reference to it).
// 2. Wrong digits are refused as "not found", never revealing the order.
// 3. Offline, an order lookup is queued with a visible status and sent once back online.
// 4. The return flow with a photo: the delivered demo order, the reason, a file of the wrong
//    type refused before sending, then a PNG through the file chooser while offline: the flow
//    registers the return, the photo waits (queued), then sending → sent once back online,
//    one upload; the agent opens it through the console's API, and after a handoff the
//    console links it from the step's slot. A refused upload shows failed with a retry.
// 7. In a 320 px window the order card's timeline labels (English, the longest) keep apart.
// 6. An English browser whose customer writes Chinese: the UI follows the conversation's
//    language, so the order card's labels are Chinese like the replies, also after a reload.
// 3b. "New conversation" pressed while that lookup is queued: it is dropped with the old
//    conversation, never sent, and nothing of it shows in the new one; pressed while a
//    lookup is on its way, its answer does not show in the new one either.
// 5. chat.html reloaded with the network down opens from the service worker (kefu-sw.js):
//    the conversation is restored, FAQ answers work, an order lookup is queued and sent once
//    when the network is back. Without the worker the same reload fails (the control).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { axeViolations, DIST, launch, signInAgent, startServer, texts, Widget } from './harness.mjs';

const BIN = process.env.KEFU_SERVER_BIN ? resolve(process.env.KEFU_SERVER_BIN) : null;
const SHOTS = resolve(process.env.KEFU_SHOTS ?? '../../target/e2e');
// A real 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** Noon in the demo shop's time zone (+08:00): within working hours a handoff goes to the queue. */
function openingTime() {
  const d = new Date();
  d.setUTCHours(4, 0, 0, 0);
  return d;
}

describe('kefu widget with kefu-server', { skip: BIN ? false : 'KEFU_SERVER_BIN not set' }, () => {
  let server, url, browser, dir;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-server-e2e-'));
    writeFileSync(join(DIST, 'with-api.html'), `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>shop</title><script src="/kefu.js" data-kb="/kb.bin" data-api="/" async></script></head><body><h1>Shop</h1></body></html>`);
    const port = 20000 + Math.floor(Math.random() * 20000);
    url = `http://127.0.0.1:${port}`;
    server = await startServer(BIN, { port, dir });
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    server?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
    rmSync(join(DIST, 'with-api.html'), { force: true });
  });

  /** Asks about the demo order 123456 as an anonymous customer, gives the phone digits and
   *  waits for the order card; returns it. */
  async function lookUpOrder(w) {
    await w.ask('我的订单123456发货了吗？');
    await w.page.getByTestId('phone-form').waitFor();
    await w.turn(async () => {
      await w.page.getByTestId('phone-digits').fill('5678');
      await w.page.getByTestId('phone-submit').click();
    });
    const card = w.page.getByTestId('order-card');
    await card.waitFor();
    return card;
  }

  async function widget({ clock } = {}) {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1000, height: 800 } });
    const page = await context.newPage();
    if (clock) await page.clock.setFixedTime(clock);
    await page.goto(`${url}/with-api.html`);
    const w = new Widget(page);
    w.context = context;
    await w.open();
    return w;
  }

  test('order 123456: phone digits, the order card, then 「什么时候能到？」', async () => {
    const w = await widget();
    await w.ask('我的订单123456发货了吗？');
    const form = w.page.getByTestId('phone-form');
    await form.waitFor();
    const added = await w.turn(async () => {
      await w.page.getByTestId('phone-digits').fill('5678');
      await w.page.getByTestId('phone-submit').click();
    });
    const card = w.page.getByTestId('order-card');
    await card.waitFor();
    const text = await card.innerText();
    assert.match(text, /123456/);
    assert.match(text, /顺丰/);
    assert.match(text, /SF1234567890/);
    assert.equal(await card.getAttribute('data-status'), 'shipped');
    assert.equal(await card.locator('[aria-current=step]').innerText(), '已发货');
    assert.ok(added.some((a) => a.kind === 'order'), texts(added));
    await card.scrollIntoViewIfNeeded();
    await w.page.screenshot({ path: join(SHOTS, '08-order-card.png') });
    assert.deepEqual(await axeViolations(w.page), [], 'axe: the order card');
    const eta = await w.ask('什么时候能到？');
    assert.match(texts(eta), /123456.*预计|预计.*送达/s, texts(eta));
    // The card just shown is not repeated: a one-line reference, then the answer.
    const again = eta.find((a) => a.kind === 'order');
    if (again) {
      const ref = again.locator.getByTestId('order-card');
      assert.equal(await ref.getAttribute('data-compact'), 'true', texts(eta));
      assert.doesNotMatch(await ref.innerText(), /SF1234567890/);
      assert.equal(await ref.locator('.kefu-timeline').count(), 0);
    }
    await w.context.close();
  });

  test('wrong phone digits: "not found", nothing revealed', async () => {
    const w = await widget();
    await w.ask('查一下订单123456');
    await w.page.getByTestId('phone-form').waitFor();
    // Typed in the chat's own input, the digits answer the lookup's question, not the bot.
    const added = await w.ask('0000');
    assert.doesNotMatch(texts(added), /还不会回答/, texts(added));
    assert.equal(await w.page.getByTestId('order-card').count(), 0, texts(added));
    assert.ok(added.some((a) => a.testid === 'msg-bot'), texts(added));
    await w.context.close();
  });

  test('the return flow with a photo: queued offline, sending, sent once, opened by the agent', async () => {
    // 20 days on (noon in the shop), the demo order 234567 was delivered 24 days ago: past
    // the 15 days for quality returns, so the flow hands off with its slots, the photo's too.
    const w = await widget({ clock: new Date(openingTime().getTime() + 20 * 86_400_000) });
    const puts = [];
    w.page.on('request', (r) => { if (r.method() === 'PUT' && r.url().includes('/api/v1/uploads/')) puts.push(r.url()); });
    let added = await w.ask('我要退货');
    assert.ok(added.some((a) => a.kind === 'flow-step'), texts(added));
    await w.ask('234567');
    await w.page.getByTestId('phone-form').waitFor();
    added = await w.turn(async () => {
      await w.page.getByTestId('phone-digits').fill('5678');
      await w.page.getByTestId('phone-submit').click();
    });
    assert.ok(added.some((a) => a.kind === 'flow-step'), `the reason step: ${texts(added)}`);
    added = await w.ask('衣服收到就开线了，质量不好');
    const step = w.page.locator('[data-testid=flow-step][data-expects=image]').last();
    await step.waitFor();
    const upload = step.getByTestId('flow-upload');
    added = await w.turn(() => upload.setInputFiles({ name: 'notes.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4') }));
    assert.ok(added.some((a) => a.kind === 'refused'), `a PDF is refused before sending: ${texts(added)}`);
    assert.equal(puts.length, 0, 'nothing sent for a refused file');
    // The photo is chosen offline, through the file chooser as a customer would: the flow
    // goes on (it runs on the device), the photo waits with a visible status.
    await w.context.setOffline(true);
    await w.page.waitForTimeout(100);
    added = await w.turn(async () => {
      const [chooser] = await Promise.all([w.page.waitForEvent('filechooser'), step.locator('label.kefu-upload').click()]);
      await chooser.setFiles({ name: 'seam.png', mimeType: 'image/png', buffer: PNG });
    });
    const photo = w.page.locator('[data-testid=msg-user][data-kind=photo]');
    assert.ok(added.some((a) => a.testid === 'msg-user' && /seam\.png/.test(a.text)), texts(added));
    assert.match(texts(added), /超过15天/, texts(added));
    assert.ok(added.some((a) => a.testid === 'job-status' && a.kind === 'queued'), `the handoff waits too: ${texts(added)}`);
    assert.equal(await photo.getAttribute('data-upload'), 'queued');
    assert.match(await photo.getByTestId('msg-pending').innerText(), /待发送/);
    assert.equal(await photo.getByTestId('msg-pending').getAttribute('role'), 'status', 'announced');
    await w.page.screenshot({ path: join(SHOTS, '09-return-flow-photo-queued.png') });
    assert.deepEqual(await axeViolations(w.page), [], 'axe: the return flow with the photo waiting, offline');
    const ref = await photo.getAttribute('data-photo');
    assert.match(ref, /^upl-[a-z]{26}$/, 'the reference the step\'s slot holds');
    // Back online: sending, then sent, exactly one upload. Every state the bubble goes
    // through is recorded as it happens (sending lasts only as long as the upload).
    await w.page.evaluate(() => {
      const root = document.querySelector('kefu-widget').shadowRoot;
      window.photoStates = [];
      const note = () => root.querySelectorAll('[data-kind=photo]').forEach((e) => {
        const v = e.getAttribute('data-upload');
        if (window.photoStates.at(-1) !== v) window.photoStates.push(v);
      });
      new MutationObserver(note).observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-upload'] });
      note();
    });
    await w.context.setOffline(false);
    await w.page.locator('[data-kind=photo][data-upload=sent]').waitFor({ timeout: 10_000 });
    assert.deepEqual(await w.page.evaluate(() => window.photoStates), ['queued', 'sending', 'sent']);
    assert.match(await photo.innerText(), /已发送/);
    await w.page.screenshot({ path: join(SHOTS, '09-return-flow-photo.png') });
    await w.page.waitForTimeout(300);
    assert.equal(puts.length, 1, `sent exactly once: ${puts.join(' ')}`);
    assert.ok(puts[0].endsWith(`/api/v1/uploads/${ref}`), puts[0]);
    // The agent opens it through the console's API: the same bytes.
    const agent = await signInAgent(browser, url);
    const got = await agent.context.request.get(`${url}/api/v1/console/uploads/${ref}`);
    assert.equal(got.status(), 200);
    assert.equal(got.headers()['content-type'], 'image/png');
    assert.deepEqual(Buffer.from(await got.body()), PNG);
    const anonymous = await w.context.request.get(`${url}/api/v1/console/uploads/${ref}`);
    assert.equal(anonymous.status(), 401, 'the customer\'s side cannot read it back');
    // Handed off once online, the step's slot goes to the console, which links the photo.
    let conv;
    for (let i = 0; i < 50 && !conv; i++) {
      const list = await (await agent.context.request.get(`${url}/api/v1/console/conversations?status=waiting`)).json();
      for (const c of list.conversations ?? list) {
        const d = await (await agent.context.request.get(`${url}/api/v1/console/conversations/${c.id}`)).json();
        if ((d.handoff?.slots ?? []).some((sl) => sl.value === ref)) conv = c.id;
      }
      if (!conv) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(conv, 'the handoff carries the photo\'s reference in its slots');
    await agent.page.getByTestId('tab-waiting').click();
    await agent.page.getByTestId(`conversation-${conv}`).click();
    const link = agent.page.getByTestId('slot-photo');
    await link.waitFor();
    assert.equal(await link.getAttribute('href'), `/api/v1/console/uploads/${ref}`);
    await agent.page.screenshot({ path: join(SHOTS, '09-console-flow-photo.png') });
    await agent.context.close();
    await w.context.close();
  });

  test('a flow photo the server did not take: failed, then sent again with the retry button', async () => {
    const w = await widget({ clock: openingTime() });
    let failOnce = true;
    await w.page.route('**/api/v1/uploads/*', (route) => {
      if (failOnce) {
        failOnce = false;
        return route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":{"code":"internal","message":"disk full"}}' });
      }
      return route.continue();
    });
    await w.ask('我要退货');
    await w.ask('234567');
    await w.page.getByTestId('phone-form').waitFor();
    await w.turn(async () => {
      await w.page.getByTestId('phone-digits').fill('5678');
      await w.page.getByTestId('phone-submit').click();
    });
    await w.ask('质量问题');
    const step = w.page.locator('[data-testid=flow-step][data-expects=image]').last();
    await step.waitFor();
    await w.turn(() => step.getByTestId('flow-upload').setInputFiles({ name: 'box.png', mimeType: 'image/png', buffer: PNG }));
    const photo = w.page.locator('[data-testid=msg-user][data-kind=photo]');
    await w.page.locator('[data-kind=photo][data-upload=failed]').waitFor({ timeout: 10_000 });
    assert.match(await photo.innerText(), /没有发送成功.*500/s);
    await w.page.screenshot({ path: join(SHOTS, '09-return-flow-photo-failed.png') });
    await photo.getByTestId('photo-retry').click();
    await w.page.locator('[data-kind=photo][data-upload=sent]').waitFor({ timeout: 10_000 });
    const ref = await photo.getAttribute('data-photo');
    const agent = await signInAgent(browser, url);
    assert.equal((await agent.context.request.get(`${url}/api/v1/console/uploads/${ref}`)).status(), 200);
    await agent.context.close();
    await w.context.close();
  });

  test('offline: the order lookup is queued, then sent once back online', async () => {
    const w = await widget();
    await w.context.setOffline(true);
    await w.page.waitForTimeout(200);
    const added = await w.ask('我的订单123456发货了吗？');
    const queued = added.find((a) => a.testid === 'job-status');
    assert.equal(queued?.kind, 'queued', texts(added));
    await w.context.setOffline(false);
    await w.page.getByTestId('phone-form').waitFor();
    assert.equal(await w.page.locator('[data-testid=job-status][data-kind=queued]').count(), 0);
    await w.context.close();
  });

  test('new conversation while an order lookup is queued offline: it goes with the old one, never sent', async () => {
    const w = await widget();
    const lookups = [];
    w.context.on('request', (r) => { if (r.url().includes('/api/v1/orders/')) lookups.push(r.url()); });
    await w.context.setOffline(true);
    await w.page.waitForTimeout(200);
    const added = await w.ask('我的订单123456发货了吗？');
    assert.equal(added.find((a) => a.testid === 'job-status')?.kind, 'queued', texts(added));
    await w.page.getByTestId('kefu-restart').click();
    await w.page.waitForFunction(() => {
      const list = document.querySelector('kefu-widget').shadowRoot.querySelector('[data-testid=kefu-messages]');
      return list && !list.innerText.includes('123456') && list.querySelector('[data-testid=msg-bot]');
    });
    await w.context.setOffline(false);
    // Long enough for the widget to send what it queued (it does so at once when back online).
    await w.page.waitForTimeout(1500);
    await w.settled();
    assert.deepEqual(lookups, [], 'the old conversation\'s lookup is not sent');
    const all = await w.messages.innerText();
    assert.doesNotMatch(all, /123456/, all);
    assert.equal(await w.page.getByTestId('phone-form').count(), 0, all);
    assert.equal(await w.page.getByTestId('order-card').count(), 0, all);
    assert.equal(await w.user.count(), 0, 'the new conversation starts empty');
    // The new conversation looks orders up as before, once.
    await w.ask('我的订单123456发货了吗？');
    await w.page.getByTestId('phone-form').waitFor();
    assert.equal(lookups.length, 1, lookups.join(' '));
    // A lookup on its way when "new conversation" is pressed: its answer is not shown in the
    // new one (the server's reply is held back until after the press).
    let release;
    const held = new Promise((ok) => { release = ok; });
    await w.context.route('**/api/v1/orders/**', async (route) => { await held; await route.continue(); });
    await w.page.getByTestId('kefu-restart').click();
    await w.ask('查一下订单123456');
    await w.page.waitForTimeout(300);
    assert.equal(lookups.length, 2, lookups.join(' '));
    await w.page.getByTestId('kefu-restart').click();
    await w.page.waitForFunction(() => !document.querySelector('kefu-widget').shadowRoot
      .querySelector('[data-testid=kefu-messages]').innerText.includes('123456'));
    const answered = w.page.waitForResponse('**/api/v1/orders/**');
    release();
    await answered;
    await w.page.waitForTimeout(500);
    await w.settled();
    const now = await w.messages.innerText();
    assert.equal(await w.page.getByTestId('phone-form').count(), 0, now);
    assert.equal(await w.page.locator('[data-testid=job-status]').count(), 0, now);
    assert.doesNotMatch(now, /123456/, now);
    await w.context.close();
  });

  test('chat.html reloads offline from the service worker; the queued lookup is sent once back online', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 420, height: 760 } });
    const lookups = [];
    context.on('request', (r) => { if (r.url().includes('/api/v1/orders/')) lookups.push(r.url()); });
    const worker = await fetch(`${url}/kefu-sw.js`);
    assert.match(worker.headers.get('content-type'), /javascript/);
    assert.equal(worker.headers.get('cache-control'), 'no-cache', 'a new deploy replaces the worker');
    const page = await context.newPage();
    // Within the demo shop's working hours: the header then says 在线 once back online.
    await page.clock.setFixedTime(openingTime());
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url}/chat.html`);
    const w = new Widget(page);
    await w.bot.first().waitFor();
    await w.settled();
    await w.ask('怎么开发票');
    // The worker took the page (clients.claim) and kept the files it needs.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      // One cache per build: kefu-offline:<folder>:<version> (www/kefu-sw.js).
      const name = (await caches.keys()).find((n) => n.startsWith('kefu-offline:/:'));
      const cache = await caches.open(name);
      for (let i = 0; i < 100 && (await cache.keys()).length < 7; i++) await new Promise((r) => setTimeout(r, 100));
    });
    const kinds = () => w.items.evaluateAll((els) => els.map((e) => `${e.dataset.testid}/${e.dataset.kind}`));
    const before = await kinds();

    await context.setOffline(true);
    const reloaded = await page.reload();
    assert.ok(reloaded.fromServiceWorker(), 'the page came from the service worker');
    await w.bot.first().waitFor();
    await w.settled();
    const after = await kinds();
    assert.deepEqual(after.slice(0, before.length), before, 'the conversation is restored');
    // Then the network notices (the page that went offline may have said so before the
    // reload), the newest saying it is offline.
    const rest = after.slice(before.length);
    assert.ok(rest.length >= 1 && rest.every((k) => /^kefu-notice\/(offline|online)$/.test(k)) && rest.at(-1) === 'kefu-notice/offline', rest.join());
    assert.equal(await w.lastUserText(), '怎么开发票');
    const subtitle = page.getByTestId('kefu-subtitle');
    assert.equal(await subtitle.textContent(), '智能客服 · 离线', 'the header says it is offline');
    let added = await w.ask('退货运费谁出');
    assert.ok(added.some((a) => a.kind === 'answer'), `an FAQ answer offline: ${texts(added)}`);
    added = await w.ask('我的订单123456发货了吗？');
    assert.equal(added.find((a) => a.testid === 'job-status')?.kind, 'queued', texts(added));
    await page.screenshot({ path: join(SHOTS, '11-offline-reload.png') });
    assert.deepEqual(lookups, [], 'nothing sent while offline');

    await context.setOffline(false);
    await page.getByTestId('phone-form').waitFor();
    await page.waitForTimeout(500);
    assert.equal(lookups.length, 1, `sent once: ${lookups.join(' ')}`);
    assert.equal(await subtitle.textContent(), '智能客服 · 在线', 'and online again');
    assert.equal(await page.locator('[data-testid=job-status][data-kind=queued]').count(), 0);
    assert.deepEqual(errors, []);
    await context.close();

    // The control: the same reload with service workers blocked does not open.
    const blocked = await browser.newContext({ locale: 'zh-CN', serviceWorkers: 'block' });
    const plain = await blocked.newPage();
    await plain.goto(`${url}/chat.html`);
    await new Widget(plain).bot.first().waitFor();
    await blocked.setOffline(true);
    await assert.rejects(plain.reload(), /ERR_INTERNET_DISCONNECTED/);
    await blocked.close();
  });

  test('an English browser writing Chinese: the order card speaks the language of the replies', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1000, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${url}/with-api.html`);
    const w = new Widget(page);
    await w.open();
    assert.equal(await w.input.getAttribute('placeholder'), 'Type your question…', 'the browser\'s language first');
    const card = await lookUpOrder(w);
    const text = await card.innerText();
    assert.match(text, /订单号/, text);
    assert.doesNotMatch(text, /Order no|Carrier|Shipped/, text);
    assert.equal(await card.locator('[aria-current=step]').innerText(), '已发货');
    assert.equal(await w.input.getAttribute('placeholder'), '请输入您的问题…');
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, '14-english-browser-chinese-chat.png') });
    await page.reload();
    await w.launcher.click();
    await w.bot.first().waitFor();
    assert.equal(await w.input.getAttribute('placeholder'), '请输入您的问题…', 'a reload keeps the conversation\'s language');
    await context.close();
  });

  test('a 320 px window: the timeline labels keep apart', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 320, height: 640 } });
    const page = await context.newPage();
    await page.goto(`${url}/with-api.html`);
    await page.evaluate(() => window.kefu.setLocale('en'));
    const w = new Widget(page);
    await w.open();
    const card = await lookUpOrder(w);
    await card.scrollIntoViewIfNeeded();
    const labels = await card.locator('.kefu-step').evaluateAll((steps) => steps.map((s) => {
      const range = document.createRange();
      range.selectNodeContents(s);
      const rects = [...range.getClientRects()];
      return { text: s.textContent, lines: new Set(rects.map((r) => Math.round(r.top))).size,
        left: Math.min(...rects.map((r) => r.left)), right: Math.max(...rects.map((r) => r.right)) };
    }));
    assert.deepEqual(labels.map((l) => l.text), ['Ordered', 'Paid', 'Shipped', 'Delivered']);
    assert.deepEqual(labels.map((l) => l.lines), [1, 1, 1, 1], `no label is cut: ${JSON.stringify(labels)}`);
    for (let i = 1; i < labels.length; i++) {
      assert.ok(labels[i].left - labels[i - 1].right >= 2, `${labels[i - 1].text} and ${labels[i].text} touch: ${JSON.stringify(labels)}`);
    }
    await page.screenshot({ path: join(SHOTS, '15-order-card-320px.png') });
    await context.close();
  });
});
