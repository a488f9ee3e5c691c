// End-to-end test of the live handoff: the widget's release build on a shop page served by
// the real kefu-server (`--demo`, SQLite in a temporary folder), a customer in one browser
// context and the demo agent in the console in another. Run by scripts/test-browser.sh with
// KEFU_SERVER_BIN; screenshots in KEFU_SHOTS.
//
// What it proves:
// 1. 「转人工」 in the widget creates the conversation (POST /api/v1/handoff) and opens its
//    WebSocket: the queue notice; the agent claims it in the console → 「客服 … 已接入」.
// 2. The agent's typing shows in the widget, then the reply (`agent-message`); the
//    customer's answer reaches the console, and so does a photo the customer uploads (the
//    conversation's image route; the console shows the picture, the bot never sees it).
// 3. Offline, the customer's message waits (marked not delivered); back online the widget
//    reconnects, resumes and resends it: the agent receives it exactly once, and nothing is
//    shown twice in the widget.
// 4. An agent message with `<img src=x onerror=…>` is shown as text; nothing runs.
// 5. A reload reconnects to the same conversation from the saved session.
// 6. The agent closes the conversation: the widget says so, asks for the rating, and the
//    customer's next question is answered by the bot again.
// 7. The server is killed (SIGKILL) and started again on the same database: the widget shows
//    「连接中断…」, keeps the message typed meanwhile, reconnects with backoff and resends it; the
//    agent sees it once.
// 8. Outside working hours 「转人工」 becomes the leave-a-message form; the message is stored
//    (POST /api/v1/messages) and listed in the console.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { axeViolations, DIST, launch, signInAgent, startServer, Widget } from './harness.mjs';

const BIN = process.env.KEFU_SERVER_BIN ? resolve(process.env.KEFU_SERVER_BIN) : null;
const SHOTS = resolve(process.env.KEFU_SHOTS ?? '../../target/e2e');
const XSS = '<img src=x onerror="window.__pwned = 1">请看这张图';
const PAGE = 'live-shop.html';

/** Noon in the demo shop's time zone (+08:00) today, so 「转人工」 is within working hours
 *  (outside them the engine offers to leave a message instead). */
function openingTime() {
  const d = new Date();
  d.setUTCHours(4, 0, 0, 0);
  return d;
}

describe('live handoff: widget ↔ console over kefu-server', { skip: BIN ? false : 'KEFU_SERVER_BIN not set' }, () => {
  let server, url, browser, dir, port;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-live-e2e-'));
    writeFileSync(join(DIST, PAGE), `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>shop</title><script src="/kefu.js" data-kb="/kb.bin" data-api="/" async></script></head><body><h1>Shop</h1></body></html>`);
    port = 20000 + Math.floor(Math.random() * 20000);
    url = `http://127.0.0.1:${port}`;
    await start();
    browser = await launch();
  });

  /** Starts kefu-server on `port` with the same database (again after a kill). */
  async function start() {
    server = await startServer(BIN, { port, dir, env: { KEFU_LOG: 'warn' } });
  }

  after(async () => {
    await browser?.close();
    server?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
    rmSync(join(DIST, PAGE), { force: true });
  });

  test('customer asks for a human, the agent claims and they talk, through offline and a reload', async () => {
    const customer = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1000, height: 800 } });
    const page = await customer.newPage();
    await page.clock.setFixedTime(openingTime());
    const dialogs = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
    await page.goto(`${url}/${PAGE}`);
    const w = new Widget(page);
    await w.open();

    // 1. The handoff: a conversation in the queue, the socket connected.
    const added = await w.ask('转人工');
    const queue = page.locator('[data-testid=handoff-notice][data-kind=queue]');
    await queue.waitFor();
    // The POST's answer first, then the socket's `queue` frame, updating the same notice.
    await queue.filter({ hasText: /第 1 位/ }).waitFor({ timeout: 10000 })
      .catch(async () => assert.fail(`${await queue.innerText()}\n${added.map((a) => a.text).join('\n')}`));
    assert.equal(await queue.count(), 1);
    const status = page.getByTestId('live-status');
    await page.locator('[data-testid=live-status][data-state=connected]').waitFor();

    // The agent signs in and claims the waiting conversation.
    const { context: agentContext, page: agent } = await signInAgent(browser, url);
    await agent.locator('[data-testid^=conversation-]').first().click();
    await agent.getByTestId('ctx-transcript').getByText('转人工').first().waitFor();
    await agent.getByTestId('claim').click();
    await agent.getByTestId('conv-status').getByText('我在处理').waitFor();
    await page.locator('[data-testid=handoff-notice][data-kind=agent-joined]').getByText(/演示客服/).waitFor();
    await page.getByTestId('kefu-subtitle').getByText(/演示客服/).waitFor();

    // 2. Typing, then the reply, in the widget; the customer's answer in the console.
    const agentSays = async (text) => {
      await agent.getByTestId('reply').fill(text);
      await agent.getByTestId('send').click();
    };
    await agent.getByTestId('reply').fill('您好，我是客服小麦');
    await page.getByTestId('agent-typing').waitFor();
    await agent.getByTestId('send').click();
    const agentMessages = page.getByTestId('agent-message');
    await agentMessages.getByText('您好，我是客服小麦').waitFor();
    await page.getByTestId('agent-typing').waitFor({ state: 'detached' });
    await agentMessages.last().scrollIntoViewIfNeeded();
    assert.equal(await page.getByTestId('kefu-suggestion').count(), 0, 'no bot suggestions while talking to an agent');
    await page.screenshot({ path: join(SHOTS, '10-live-agent-reply.png') });
    assert.deepEqual(await axeViolations(page), [], 'axe: the live conversation (queue, agent joined, agent reply)');

    const consoleMessages = agent.getByTestId('messages');
    await w.input.fill('我的订单123456还没到');
    await w.input.press('Enter');
    await consoleMessages.getByText('我的订单123456还没到').waitFor();
    // The customer's words went to the agent, not the bot.
    await page.waitForTimeout(300);
    assert.equal(await page.locator('[data-testid=msg-user][data-pending=false]').getByText('我的订单123456还没到').count(), 1);

    // 2b. A photo during the live chat goes to the agent over the conversation's image route
    //     (not to the bot): the console shows the picture.
    const botsBefore = await w.bot.count();
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    await page.getByTestId('composer-upload').setInputFiles({ name: 'parcel.png', mimeType: 'image/png', buffer: png });
    const sentImage = page.locator('[data-testid=msg-user][data-kind=live-image]');
    await sentImage.filter({ hasText: 'parcel.png' }).waitFor();
    await page.locator('[data-testid=msg-user][data-kind=live-image][data-pending=false]').waitFor();
    await agent.waitForFunction(() => [...document.querySelectorAll('[data-testid=messages] img')]
      .some((i) => i.complete && i.naturalWidth === 1), null, { timeout: 10000 });
    assert.equal(await w.bot.count(), botsBefore, 'the bot did not take the photo');
    await agent.screenshot({ path: join(SHOTS, '13-live-image-console.png') });

    // 3. Offline: the message waits, then arrives once.
    await customer.setOffline(true);
    await page.locator('[data-testid=live-status][data-state=offline]').waitFor();
    await w.input.fill('断网时写的消息');
    await w.input.press('Enter');
    await page.locator('[data-testid=msg-user][data-pending=true]').getByText('断网时写的消息').waitFor();
    await agentSays('您断网期间我也回复了');
    await page.waitForTimeout(500);
    await customer.setOffline(false);
    await page.locator('[data-testid=live-status][data-state=connected]').waitFor();
    await consoleMessages.getByText('断网时写的消息').waitFor();
    await agentMessages.getByText('您断网期间我也回复了').waitFor();
    await page.locator('[data-testid=msg-user][data-pending=false]').getByText('断网时写的消息').waitFor();
    await page.waitForTimeout(1000);
    assert.equal(await consoleMessages.getByText('断网时写的消息').count(), 1, 'the agent received it exactly once');
    assert.equal(await page.getByTestId('msg-user').getByText('断网时写的消息').count(), 1);
    assert.equal(await agentMessages.count(), 2, await agentMessages.allInnerTexts());

    // 3b. A photo chosen offline waits on the device with a visible state and goes once
    //     back online: one upload, one image at the agent's, one bubble, marked sent.
    const uploads = [];
    customer.on('request', (r) => { if (r.method() === 'POST' && /\/images\?/.test(r.url())) uploads.push(r.url()); });
    const consoleImages = () => agent.locator('[data-testid=messages] img').count();
    assert.equal(await consoleImages(), 1);
    await customer.setOffline(true);
    await page.locator('[data-testid=live-status][data-state=offline]').waitFor();
    await page.getByTestId('composer-upload').setInputFiles({ name: 'offline.png', mimeType: 'image/png', buffer: png });
    const queuedImage = page.locator('[data-testid=msg-user][data-upload=queued]').filter({ hasText: 'offline.png' });
    await queuedImage.waitFor();
    assert.match(await queuedImage.innerText(), /待发送/);
    await queuedImage.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, '18-live-image-queued.png') });
    assert.deepEqual(await axeViolations(page), [], 'axe: offline, an image waiting');
    await page.waitForTimeout(500);
    assert.deepEqual(uploads, [], 'nothing sent while offline');
    assert.equal(await queuedImage.getByTestId('msg-pending').getAttribute('role'), 'status', 'its state is announced');
    // Every state the bubble goes through, recorded as it happens (sending lasts as long as
    // the upload): queued → sending → (uploaded, until acknowledged) → sent.
    await page.evaluate(() => {
      const root = document.querySelector('kefu-widget').shadowRoot;
      window.imageStates = [];
      const note = () => root.querySelectorAll('[data-testid=msg-user]').forEach((e) => {
        if (!e.textContent.includes('offline.png')) return;
        const v = e.getAttribute('data-upload');
        if (window.imageStates.at(-1) !== v) window.imageStates.push(v);
      });
      new MutationObserver(note).observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-upload'] });
      note();
    });
    await customer.setOffline(false);
    const sentImage2 = page.locator('[data-testid=msg-user][data-upload=sent]').filter({ hasText: 'offline.png' });
    await sentImage2.waitFor({ timeout: 15000 });
    assert.match(await sentImage2.innerText(), /已发送/);
    const states = await page.evaluate(() => window.imageStates);
    assert.deepEqual(states.filter((v) => v !== 'uploaded'), ['queued', 'sending', 'sent'], states.join(' → '));
    await agent.waitForFunction(() => document.querySelectorAll('[data-testid=messages] img').length >= 2, null, { timeout: 10000 });
    await page.waitForTimeout(1000);
    assert.equal(await consoleImages(), 2, 'the agent got the photo exactly once');
    assert.equal(uploads.length, 1, `uploaded once: ${uploads.join(' ')}`);
    assert.equal(await page.getByTestId('msg-user').filter({ hasText: 'offline.png' }).count(), 1);
    await page.screenshot({ path: join(SHOTS, '19-live-image-sent.png') });

    // 3c. An upload that fails (the network drops during it) stays queued on the device: a
    //     reload meanwhile loses nothing, and the restarted widget sends it, once.
    const route = '**/api/v1/conversations/*/images?*';
    await page.route(route, (r) => r.abort('internetdisconnected'));
    await page.getByTestId('composer-upload').setInputFiles({ name: 'reload.png', mimeType: 'image/png', buffer: png });
    await page.locator('[data-testid=msg-user][data-upload=queued]').filter({ hasText: 'reload.png' }).waitFor();
    await page.waitForTimeout(500);
    await page.unroute(route);
    uploads.length = 0;
    await page.reload();
    await w.launcher.click();
    await page.locator('[data-testid=msg-user][data-upload=sent]').filter({ hasText: 'reload.png' }).waitFor({ timeout: 15000 });
    await agent.waitForFunction(() => document.querySelectorAll('[data-testid=messages] img').length >= 3, null, { timeout: 10000 });
    await page.waitForTimeout(1000);
    assert.equal(await consoleImages(), 3, 'the photo kept over the reload reached the agent once');
    assert.equal(uploads.length, 1, `uploaded once after the reload: ${uploads.join(' ')}`);
    assert.equal(await page.getByTestId('msg-user').filter({ hasText: 'reload.png' }).count(), 1);
    // Sent pictures are not kept on the device.
    assert.equal(await page.evaluate(async () => (await (await caches.open('kefu-uploads-v1')).keys()).length), 0);

    // 3d. An upload the server refuses: failed with the reason and a retry button; the retry
    //     sends it (the same client id), once.
    let refuse = true;
    await page.route(route, (r) => {
      if (!refuse) return r.continue();
      refuse = false;
      return r.fulfill({ status: 500, contentType: 'application/json', body: '{"error":{"code":"internal","message":"disk full"}}' });
    });
    uploads.length = 0;
    await page.getByTestId('composer-upload').setInputFiles({ name: 'retry.png', mimeType: 'image/png', buffer: png });
    const failed = page.locator('[data-testid=msg-user][data-upload=failed]').filter({ hasText: 'retry.png' });
    await failed.waitFor({ timeout: 10000 });
    assert.match(await failed.innerText(), /没有发送成功.*500/s);
    await failed.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, '19-live-image-failed.png') });
    await failed.getByTestId('photo-retry').click();
    await page.locator('[data-testid=msg-user][data-upload=sent]').filter({ hasText: 'retry.png' }).waitFor({ timeout: 15000 });
    await agent.waitForFunction(() => document.querySelectorAll('[data-testid=messages] img').length >= 4, null, { timeout: 10000 });
    await page.waitForTimeout(1000);
    await page.unroute(route);
    assert.equal(await consoleImages(), 4, 'the retried photo reached the agent once');
    assert.equal(await page.getByTestId('msg-user').filter({ hasText: 'retry.png' }).count(), 1);

    // 4. Markup from the agent is text.
    await agentSays(XSS);
    await agentMessages.getByText(XSS).waitFor();
    assert.equal(await agentMessages.locator('img').count(), 0);
    assert.equal(await page.evaluate(() => window.__pwned ?? 0), 0);

    // 5. A reload reconnects to the same conversation; nothing is shown twice.
    await page.reload();
    await w.launcher.click();
    await page.locator('[data-testid=live-status][data-state=connected]').waitFor();
    assert.equal(await agentMessages.count(), 3, await agentMessages.allInnerTexts());
    await agentSays('刷新后还能收到吗？');
    await agentMessages.getByText('刷新后还能收到吗？').waitFor();
    await page.waitForTimeout(500);
    assert.equal(await agentMessages.count(), 4, await agentMessages.allInnerTexts());

    // 6. The agent closes: back to the bot, with the rating.
    await agent.getByTestId('close').click();
    await page.locator('[data-testid=handoff-notice][data-kind=closed]').waitFor();
    await status.waitFor({ state: 'detached' });
    await page.getByTestId('rating').last().waitFor();
    const answer = await w.ask('怎么开发票？');
    assert.ok(answer.some((a) => a.testid === 'msg-bot'), answer.map((a) => a.text).join('\n'));
    assert.equal(await consoleMessages.getByText('怎么开发票？').count(), 0);
    assert.deepEqual(dialogs, []);
    await agentContext.close();
    await customer.close();
  });

  test('the server goes away: the widget shows it, reconnects with backoff and resends', async () => {
    const customer = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1000, height: 800 } });
    const page = await customer.newPage();
    await page.clock.setFixedTime(openingTime());
    await page.goto(`${url}/${PAGE}`);
    const w = new Widget(page);
    await w.open();
    await w.ask('转人工');
    await page.locator('[data-testid=live-status][data-state=connected]').waitFor();
    const stopped = new Promise((ok) => server.once('exit', ok));
    server.kill('SIGKILL');
    await stopped;
    await page.locator('[data-testid=live-status][data-state=reconnecting]').waitFor();
    await w.input.fill('服务器重启时写的');
    await w.input.press('Enter');
    await page.locator('[data-testid=msg-user][data-pending=true]').getByText('服务器重启时写的').waitFor();
    await start();
    await page.locator('[data-testid=live-status][data-state=connected]').waitFor({ timeout: 40000 });
    await page.locator('[data-testid=msg-user][data-pending=false]').getByText('服务器重启时写的').waitFor();

    // The agent sees it once, in the conversation that survived the restart.
    const { context: agentContext, page: agent } = await signInAgent(browser, url);
    await agent.locator('[data-testid^=conversation-]').first().click();
    await agent.getByTestId('messages').getByText('服务器重启时写的').waitFor();
    assert.equal(await agent.getByTestId('messages').getByText('服务器重启时写的').count(), 1);
    await agentContext.close();
    await customer.close();
  });

  test('outside working hours: the left message reaches the console', async () => {
    const customer = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1000, height: 800 } });
    const page = await customer.newPage();
    const night = openingTime();
    night.setUTCHours(15); // 23:00 in +08:00
    await page.clock.setFixedTime(night);
    await page.goto(`${url}/${PAGE}`);
    const w = new Widget(page);
    await w.open();
    await w.ask('转人工');
    const form = page.getByTestId('leave-message-form').last();
    await form.waitFor();
    await w.turn(async () => {
      await form.getByTestId('leave-contact').fill('13800138000');
      await form.getByTestId('leave-question').fill('夜里留言：发票抬头写错了');
      await form.getByTestId('leave-submit').click();
    });
    await page.locator('[data-testid=job-status][data-kind=sent]').waitFor();
    assert.equal(await page.locator('[data-testid=job-status][data-kind=failed]').count(), 0);

    const { context: agentContext, page: agent } = await signInAgent(browser, url);
    await agent.getByTestId('tab-left').click();
    await agent.getByTestId('left-list').getByText('夜里留言：发票抬头写错了').waitFor();
    await agentContext.close();
    await customer.close();
  });
});
