// End-to-end tests of a split knowledge base (`kefu build --split`): the release build in
// headless Chromium with the demo's kb.bin (it answers) and kb.more.bin (the detailed answers,
// the flows' and catalogue's translations) in the dist, as scripts/test-browser.sh builds it.
// Alone: KEFU_DIST=../../target/e2e/dist node --test companion.test.mjs
//
//  1. The first answer comes from kb.bin while kb.more.bin is held back by the network; the
//     detailed answer asked for then waits for it and shows its text once it arrives.
//  2. An English customer's flow is in English (its translation is in the companion).
//  3. chat.html offline after one visit: reloaded with the network down, a detailed answer
//     still shows (the companion kept by the service worker and the widget's own cache).
//  4. The widget's own cache without a service worker: a second visit with the companion
//     unreachable still shows the detailed answer from the kept copy.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DIST, launch, serve, texts, Widget } from './harness.mjs';

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
    // Asked for now, the detail waits: nothing shows until the companion arrives.
    const before = await w.items.count();
    await detailChip(w).click();
    await w.page.waitForTimeout(500);
    assert.equal(await w.items.count(), before, 'the detail waits for the companion');
    release();
    await w.items.nth(before).waitFor({ state: 'attached' });
    await w.settled();
    const all = await w.messages.innerText();
    assert.ok(all.includes(DETAIL), all);
    // The customer's click and the detail, once each, in order.
    const after = await w.items.count();
    assert.equal(after - before, 2, all);
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
