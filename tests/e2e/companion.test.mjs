// End-to-end tests of a split knowledge base (`kefu build --split`): the release build in
// headless Chromium with the demo's kb.bin (it answers) and kb.more.bin (the detailed answers,
// the flows' and catalogue's translations) in the dist, as scripts/test-browser.sh builds it.
// Alone: KEFU_DIST=../../target/e2e/dist node --test companion.test.mjs
//
//  1. The first answer comes from kb.bin while kb.more.bin is held back by the network; the
//     detailed answer asked for then waits for it: the customer's click shows at once with
//     the bot's indicator, a question typed meanwhile waits behind it, and both are answered
//     once, in order, when the companion arrives.
//  1b. A reload while a turn waits: still shown as waiting, run once when it arrives.
//  1c. "New conversation" while a turn waits: dropped with the old conversation, no answer
//     lands in the new one.
//  2. An English customer's flow is in English (its translation is in the companion).
//  3. chat.html offline after one visit: reloaded with the network down, a detailed answer
//     still shows (the companion kept by the service worker and the widget's own cache).
//  4. The widget's own cache without a service worker: a second visit with the companion
//     unreachable still shows the detailed answer from the kept copy.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DIST, launch, serve, texts, Widget } from './harness.mjs';

const SHOTS = resolve(process.env.KEFU_SHOTS ?? '../../target/e2e');
const QUESTION = '运费险怎么理赔';
// A sentence of the entry's detailed answer (kb/entries), not of its short answer.
const DETAIL = '订单详情的「服务」一栏';

describe('split knowledge base', () => {
  let server, url, log, browser;

  before(async () => {
    assert.ok(existsSync(join(DIST, 'kb.more.bin')),
      'the dist holds a split knowledge base (scripts/test-browser.sh builds it with --split)');
    ({ server, url, log } = await serve());
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    server?.close();
  });

  async function page(context, path) {
    const p = await context.newPage();
    const errors = [];
    p.on('pageerror', (e) => errors.push(e.message));
    await p.goto(url + path);
    const w = new Widget(p);
    w.errors = errors;
    return w;
  }

  const waiting = (w) => w.page.locator('[data-testid=msg-user][data-waiting]');
  const detailChip = (w) => w.page.getByTestId('chip-quick').filter({ hasText: '详细说说' }).last();

  test('the first answer without the companion; a detail waits for it, then shows', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    let release;
    const held = new Promise((ok) => { release = ok; });
    let asked = 0;
    await context.route('**/kb.more.bin', async (route) => {
      asked++;
      await held;
      await route.continue();
    });
    const w = await page(context, '/shop.html');
    await w.open();
    const answer = await w.ask(QUESTION);
    assert.ok(answer.some((a) => a.kind === 'answer'), texts(answer));
    assert.ok(!texts(answer).includes(DETAIL), 'the short answer only');
    assert.equal(asked, 1, 'the companion was asked for, and is held back');
    // Asked for now, the detail waits for the companion; the customer's click shows at once,
    // with the bot's indicator below it.
    const before = await w.items.count();
    const bots = await w.bot.count();
    await detailChip(w).click();
    await waiting(w).first().waitFor();
    assert.match(await waiting(w).first().innerText(), /详细说说/);
    await w.page.getByTestId('bot-typing').waitFor();
    // A question typed meanwhile waits behind it, shown at once too; the input is cleared.
    await w.input.fill('怎么开发票');
    await w.input.press('Enter');
    await waiting(w).nth(1).waitFor();
    assert.equal(await w.input.inputValue(), '');
    await w.page.waitForTimeout(300);
    assert.equal(await w.bot.count(), bots, 'no answer before the companion');
    await w.page.screenshot({ path: join(SHOTS, '12-companion-waiting.png') });
    release();
    await w.page.getByTestId('bot-typing').waitFor({ state: 'detached' });
    await w.settled();
    const all = await w.messages.innerText();
    assert.ok(all.includes(DETAIL), all);
    assert.equal(await waiting(w).count(), 0, 'nothing shown as waiting any more');
    // Each said once, in order, each followed by its answer.
    const added = [];
    for (let i = before; i < await w.items.count(); i++) {
      const item = w.items.nth(i);
      added.push([await item.getAttribute('data-testid'), await item.innerText()]);
    }
    const said = added.filter(([id]) => id === 'msg-user').map(([, text]) => text.trim());
    assert.equal(said.length, 2, JSON.stringify(added));
    assert.match(said[0], /详细说说/);
    assert.match(said[1], /怎么开发票/);
    const second = added.findIndex(([id, text]) => id === 'msg-user' && text.includes('怎么开发票'));
    assert.ok(added.slice(1, second).some(([, text]) => text.includes(DETAIL)), JSON.stringify(added));
    assert.ok(added.slice(second + 1).some(([id]) => id === 'msg-bot'), JSON.stringify(added));
    assert.deepEqual(w.errors, []);
    await context.close();
  });

  /** Holds kb.more.bin back until `release()`. */
  async function holdCompanion(context) {
    let release;
    const held = new Promise((ok) => { release = ok; });
    await context.route('**/kb.more.bin', async (route) => {
      await held;
      // The request of a page reloaded meanwhile is gone.
      await route.continue().catch(() => {});
    });
    return release;
  }

  test('a reload while a turn waits loses nothing and runs it once', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const release = await holdCompanion(context);
    const w = await page(context, '/shop.html');
    await w.open();
    await w.ask(QUESTION);
    await detailChip(w).click();
    await waiting(w).first().waitFor();
    await w.page.reload();
    const again = new Widget(w.page);
    await again.open();
    // Still waiting after the reload, shown as it was.
    await waiting(again).first().waitFor();
    assert.match(await waiting(again).first().innerText(), /详细说说/);
    await again.page.getByTestId('bot-typing').waitFor();
    release();
    await again.page.getByTestId('bot-typing').waitFor({ state: 'detached' });
    await again.settled();
    const all = await again.messages.innerText();
    assert.equal(all.split(DETAIL).length - 1, 1, `the detail once: ${all}`);
    const said = await again.user.allInnerTexts();
    assert.equal(said.filter((t) => t.includes('详细说说')).length, 1, said.join(' | '));
    assert.equal(said.filter((t) => t.includes(QUESTION)).length, 1, said.join(' | '));
    // And once more after another reload: nothing waits any more, nothing runs again.
    await again.page.reload();
    const third = new Widget(again.page);
    await third.open();
    await third.page.waitForTimeout(500);
    assert.equal((await third.messages.innerText()).split(DETAIL).length - 1, 1);
    assert.equal(await waiting(third).count(), 0);
    await context.close();
  });

  test('new conversation while a turn waits: dropped with the old one, no answer in the new one', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const release = await holdCompanion(context);
    const w = await page(context, '/shop.html');
    await w.open();
    await w.ask(QUESTION);
    await detailChip(w).click();
    await waiting(w).first().waitFor();
    await w.page.getByTestId('kefu-restart').click();
    await waiting(w).first().waitFor({ state: 'detached' });
    assert.equal(await w.page.getByTestId('bot-typing').count(), 0);
    const arrived = w.page.waitForResponse('**/kb.more.bin');
    release();
    await arrived;
    await w.page.waitForTimeout(500);
    await w.settled();
    let all = await w.messages.innerText();
    assert.ok(!all.includes(DETAIL) && !all.includes(QUESTION), all);
    assert.equal(await w.user.count(), 0, 'the new conversation starts empty');
    assert.ok(await w.bot.count() > 0, 'with the welcome');
    // The new conversation has the companion: its own detail shows at once.
    await w.ask(QUESTION);
    await w.click(detailChip(w));
    all = await w.messages.innerText();
    assert.equal(all.split(DETAIL).length - 1, 1, all);
    assert.deepEqual(w.errors, []);
    await context.close();
  });

  test('an English customer gets the flow in English', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const w = await page(context, '/shop.html');
    await w.open();
    const added = await w.ask('I want to return my order');
    const said = texts(added);
    // The step's English is in the companion (scripts: tests/conversations/53-english-return-flow.txt).
    assert.match(said, /order number/i);
    assert.doesNotMatch(said, /订单号|退货/, 'not in the shop\'s Chinese');
    assert.deepEqual(w.errors, []);
    await context.close();
  });

  test('chat.html offline after one visit still shows a detailed answer', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 420, height: 760 } });
    const p = await context.newPage();
    const errors = [];
    p.on('pageerror', (e) => errors.push(e.message));
    const fetched = log.length;
    await p.goto(`${url}/chat.html`);
    await p.getByTestId('msg-bot').first().waitFor();
    await p.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
    // The first visit fetched the companion in the background.
    for (let i = 0; i < 100 && !log.slice(fetched).some(([path, s]) => path === '/kb.more.bin' && s === 200); i++) {
      await p.waitForTimeout(100);
    }
    assert.ok(log.slice(fetched).some(([path, s]) => path === '/kb.more.bin' && s === 200), 'fetched on the first visit');
    await p.waitForTimeout(500);
    await context.setOffline(true);
    const reloaded = await p.reload();
    assert.ok(reloaded.fromServiceWorker(), 'the page came from the worker');
    const w = new Widget(p);
    await w.bot.first().waitFor();
    await w.settled();
    await w.ask(QUESTION);
    await w.click(detailChip(w));
    const all = await w.messages.innerText();
    assert.ok(all.includes(DETAIL), all);
    assert.deepEqual(errors, []);
    await context.setOffline(false);
    await context.close();
  });

  test('without a service worker, the kept companion answers when it cannot be fetched', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    let w = await page(context, '/shop.html');
    await w.open();
    const kept = () => w.page.evaluate(async () => {
      const cache = await caches.open('kefu-kb-v1');
      return (await cache.keys()).map((r) => new URL(r.url).pathname);
    });
    let names = [];
    for (let i = 0; i < 50 && !names.includes('/kb.more.bin'); i++) {
      names = await kept();
      await w.page.waitForTimeout(100);
    }
    assert.ok(names.includes('/kb.more.bin'), `kept: ${names.join()}`);
    await w.page.close();
    // The next visit: the companion's server is gone (the page and kb.bin still load).
    await context.route('**/kb.more.bin', (route) => route.abort('internetdisconnected'));
    w = await page(context, '/shop.html');
    await w.open();
    await w.ask(QUESTION);
    await w.click(detailChip(w));
    const all = await w.messages.innerText();
    assert.ok(all.includes(DETAIL), all);
    await context.close();
  });
});
