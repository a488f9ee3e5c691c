// End-to-end tests of the chat widget: the release build in headless Chromium, embedded the
// way a shop embeds it (the one script tag), driven by Playwright through data-testid
// selectors (they pierce the widget's open shadow root). Run by scripts/test-browser.sh,
// which builds dist/ first; alone: KEFU_DIST=../../target/e2e/dist node --test widget.test.mjs
//
// What it proves, against the demo knowledge base (no kefu server: every action that needs
// one says so):
//  1. The snippet on a page with hostile CSS: launcher at once, one widget although included
//     twice, the page's CSS does not reach in and the widget's does not leak out; open, a hot
//     question is answered.
//  2. A typo, traditional characters and pinyin get the invoice answer.
//  3. A clarify choice is answered; markup in an answer or a question is shown as text.
//  4. The phone context example: battery, then 「那拍照效果呢？」 about the same phone.
//  5. The order example without a server: a clear "unavailable" notice, no pretend order card.
//  6. The T-shirt recommendation: three product cards and a comparison table.
//  7. The return flow starts; handoff and leave-a-message say they are unavailable.
//  8. A reload restores the conversation and the unsent draft; "new conversation" clears it; the knowledge base
//     is revalidated (304), not downloaded again.
//  9. Offline: FAQ answers keep working from the loaded engine.
// 10. A strict Content-Security-Policy page: no violation, the widget works.
// 11. window.kefuSettings and the JS API (open, ask, setLocale, on) with events; a language
//     chosen by the page stays although the customer writes Chinese.
// 12. chat.html on a phone viewport: full screen, no launcher.
// 13. Keyboard: typeahead, Escape closes and gives the focus back to the launcher.
// 14. A knowledge base that fails to load shows an error.
// 15. axe-core finds no serious or critical violation in the main states.
// 16. The designer preview: a linkable state with a custom title, colour and language; the
//     welcome text and hot questions typed in the panel show in the chat window.
// 17. Voice input: the button only where the browser has speech recognition; what is heard
//     goes into the input box. Headless Chromium has no speech service, so the page gets a
//     stand-in SpeechRecognition that "hears" a sentence.
// 18. A conversation saved by the build before the versioned stored form
//     (tests/fixtures/session-v1.txt) is restored on the page; a saved value that does not
//     read shows its text again with a notice, then the welcome.
// Screenshots of the main states go to KEFU_SHOTS (default target/e2e/).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { axeViolations, DIST, launch, PAGES, serve, texts, Widget } from './harness.mjs';

// axe-core, served by the test server so that pages with a strict CSP can load it too.
PAGES['/axe.min.js'] = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const SHOTS = resolve(process.env.KEFU_SHOTS ?? '../../target/e2e');

// A real 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

describe('kefu widget', () => {
  let server, url, log, browser;

  before(async () => {
    ({ server, url, log } = await serve());
    browser = await launch();
    mkdirSync(SHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    server?.close();
  });

  /** A fresh browser profile (own storage) with the widget's page at `path`. */
  async function widget(path = '/shop.html', options = {}) {
    const context = options.context ?? await browser.newContext({ locale: 'zh-CN', viewport: options.viewport ?? { width: 1000, height: 760 }, ...options.contextOptions });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('dialog', (d) => { errors.push(`dialog: ${d.message()}`); d.dismiss(); });
    if (options.clock) await page.clock.setFixedTime(options.clock);
    await page.goto(url + path);
    const w = new Widget(page);
    w.errors = errors;
    w.context = context;
    return w;
  }

  async function shot(w, name) {
    await w.page.screenshot({ path: join(SHOTS, `${name}.png`) });
  }

  async function axe(w, state) {
    await w.page.addScriptTag({ url: '/axe.min.js' });
    const result = await w.page.evaluate(async () => {
      const r = await window.axe.run(document.querySelector('kefu-widget').shadowRoot, {
        resultTypes: ['violations'],
      });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.html) }));
    });
    const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(bad, [], `axe: serious/critical violations in ${state}`);
  }

  test('the snippet on a hostile page: one widget, isolated CSS, a hot question answered', async () => {
    const w = await widget('/hostile.html');
    await w.launcher.waitFor();
    assert.equal(await w.page.locator('kefu-widget').count(), 1, 'included twice, mounted once');
    // The loader's placeholder is swapped for the widget's own launcher when the wasm has
    // loaded (idle time), so the element may be replaced between two calls: ask until a box.
    let box = null;
    for (let i = 0; i < 100 && !box; i++) {
      box = await w.launcher.boundingBox();
      if (!box) await w.page.waitForTimeout(50);
    }
    assert.ok(box, 'the launcher stays visible');
    assert.equal(Math.round(box.width), 56, 'the page\'s button rules do not reach the launcher');
    const hostChip = await w.page.locator('#host-chip').evaluate((e) => getComputedStyle(e).borderRadius);
    assert.equal(hostChip, '0px', 'the widget\'s CSS does not leak into the page');
    await w.open();
    const fontSize = await w.bot.first().locator('.kefu-bubble, .kefu-chip').first().evaluate((e) => getComputedStyle(e).fontSize);
    assert.ok(['13px', '14px'].includes(fontSize), `widget text keeps its size, got ${fontSize}`);
    const hot = w.page.getByTestId('chip-hot');
    assert.ok((await hot.count()) >= 3, 'hot questions are offered');
    const question = await hot.first().innerText();
    const added = await w.click(hot.first());
    assert.equal(await w.lastUserText(), question);
    assert.ok(added.some((a) => a.kind === 'answer'), texts(added));
    await shot(w, '01-hostile-page-answer');
    assert.deepEqual(w.errors, []);
    await w.context.close();
  });

  test('typo, traditional characters and pinyin find the invoice answer', async () => {
    const w = await widget();
    await w.open();
    for (const q of ['发飘怎么开', '怎麼開發票', 'fapiao zenme kai']) {
      let added = await w.ask(q);
      const clarify = added.find((a) => a.kind === 'clarify');
      if (clarify && !added.some((a) => a.kind === 'answer')) {
        // Several candidates are chips; a single one is asked as 您是想问「…」吗？ with 是的 / 不是.
        const chips = clarify.locator.getByTestId('chip-choice');
        const invoice = chips.filter({ hasText: '发票' });
        const single = (await invoice.count()) === 0 && /「[^」]*(发票|發票)[^」]*」/.test(clarify.text);
        added = await w.click(single ? chips.filter({ hasText: '是的' }).first() : invoice.first());
      }
      const answer = added.find((a) => a.kind === 'answer');
      assert.ok(answer, `${q}: ${texts(added)}`);
      assert.match(answer.entry, /^invoice/, q);
    }
    await w.context.close();
  });

  test('a clarify choice is answered; markup is shown as text', async () => {
    const w = await widget();
    await w.open();
    const added = await w.ask('花呗');
    const clarify = added.find((a) => a.kind === 'clarify');
    assert.ok(clarify, texts(added));
    await shot(w, '02-clarify');
    const picked = await w.click(clarify.locator.getByTestId('chip-choice').filter({ hasText: '分期' }).first());
    assert.equal(picked.find((a) => a.kind === 'answer')?.entry, 'payment-huabei-installment', texts(picked));

    const markup = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    await w.ask(markup);
    assert.equal(await w.lastUserText(), markup, 'markup is shown as text');
    assert.equal(await w.page.locator('kefu-widget').evaluate((h) => h.shadowRoot.querySelectorAll('img[src=x], .kefu-messages script').length), 0);
    assert.deepEqual(w.errors, []);
    await w.context.close();
  });

  test('context: the phone\'s battery, then 「那拍照效果呢？」', async () => {
    const w = await widget();
    await w.open();
    let added = await w.ask('这款手机的电池容量多大？');
    const clarify = added.find((a) => a.kind === 'clarify');
    assert.ok(clarify, `which phone? ${texts(added)}`);
    added = await w.click(clarify.locator.getByTestId('chip-choice').filter({ hasText: 'X1 Pro' }).first());
    assert.match(texts(added), /5500mAh/);
    added = await w.ask('那拍照效果呢？');
    assert.match(texts(added), /一英寸/, 'the same phone');
    assert.ok(!added.some((a) => a.kind === 'clarify' || a.kind === 'fallback'), texts(added));
    await w.context.close();
  });

  test('context: order 123456 without a server says order lookup is unavailable', async () => {
    const w = await widget();
    await w.open();
    let added = await w.ask('我的订单123456发货了吗？');
    const notice = added.find((a) => a.kind === 'unavailable');
    assert.ok(notice, texts(added));
    assert.match(notice.text, /订单查询暂不可用/);
    assert.equal(await w.page.getByTestId('order-card').count(), 0, 'no pretend order card');
    assert.match(texts(added), /订单查询暂时失败/, 'the engine was told the lookup failed');
    await shot(w, '03-order-unavailable');
    added = await w.ask('什么时候能到？');
    assert.ok(added.length > 1, texts(added));
    assert.equal(await w.page.getByTestId('order-card').count(), 0);
    await w.context.close();
  });

  test('the T-shirt recommendation shows product cards and a comparison', async () => {
    const w = await widget();
    await w.open();
    const added = await w.ask('想买一件适合夏天旅游穿的，透气又好洗的T恤，200以内');
    const cards = w.page.getByTestId('product-card');
    assert.equal(await cards.count(), 3, texts(added));
    assert.match(await cards.first().innerText(), /¥89/);
    const table = w.page.getByTestId('comparison');
    assert.equal(await table.count(), 1);
    assert.match(await table.innerText(), /价格/);
    await table.scrollIntoViewIfNeeded();
    await shot(w, '04-recommendation');
    await axe(w, 'recommendation');
    await w.context.close();
  });

  test('return flow, handoff and leave-a-message say what needs a server', async () => {
    // Noon in the demo shop's time zone (+08:00): within working hours 「转人工」 hands off
    // (outside them the engine offers the leave-a-message form instead).
    const noon = new Date();
    noon.setUTCHours(4, 0, 0, 0);
    const w = await widget('/shop.html', { clock: noon });
    await w.open();
    let added = await w.ask('我要退货');
    const step = added.find((a) => a.testid === 'msg-bot' && a.kind === 'flow-step');
    assert.ok(step, texts(added));
    assert.equal(await step.locator.getByTestId('flow-step').count(), 1);
    added = await w.ask('123456789012');
    assert.ok(added.some((a) => a.kind === 'unavailable'), texts(added));
    added = await w.ask('转人工');
    const handoff = added.find((a) => a.testid === 'handoff-notice');
    assert.ok(handoff, texts(added));
    assert.match(handoff.text, /人工客服暂不可用/);
    await shot(w, '05-handoff-unavailable');
    await w.context.close();
  });

  test('a reload restores the conversation; the knowledge base is revalidated, not downloaded again', async () => {
    const w = await widget();
    await w.open();
    await w.ask('怎么开发票');
    await w.input.fill('还没发送的问题');
    const count = await w.items.count();
    const kbBefore = log.filter(([p]) => p === '/kb.bin').length;
    await w.page.reload();
    await w.launcher.click();
    await w.bot.first().waitFor();
    assert.equal(await w.settled(), count, 'the same messages after a reload');
    assert.equal(await w.lastUserText(), '怎么开发票');
    assert.equal(await w.input.inputValue(), '还没发送的问题', 'nothing typed is lost');
    const kbAfter = log.filter(([p]) => p === '/kb.bin').slice(kbBefore);
    assert.deepEqual(kbAfter.map(([, s]) => s), [304], 'revalidated with its ETag');
    await w.page.getByTestId('kefu-restart').click();
    await w.settled();
    assert.equal(await w.user.count(), 0, 'a new conversation starts empty');
    assert.ok((await w.bot.count()) >= 1, 'with the welcome');
    await w.context.close();
  });

  test('offline: FAQ answers keep working', async () => {
    const w = await widget();
    await w.open();
    await w.context.setOffline(true);
    await w.page.waitForTimeout(200);
    const added = await w.ask('退货运费谁出');
    assert.ok(added.some((a) => a.kind === 'answer'), texts(added));
    assert.ok(await w.page.locator('[data-testid=kefu-notice][data-kind=offline]').count() >= 1, 'the widget says it is offline');
    await shot(w, '06-offline');
    await w.context.setOffline(false);
    await w.context.close();
  });

  test('strict Content-Security-Policy: no violation, the widget works', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    await context.addInitScript(() => {
      window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`), true);
    });
    const w = await widget('/csp.html', { context });
    await w.open();
    const added = await w.ask('怎么开发票');
    assert.ok(added.some((a) => a.kind === 'answer' || a.kind === 'clarify'), texts(added));
    const violations = await w.page.evaluate(() => window.__csp);
    assert.deepEqual(violations, [], 'no CSP violation');
    assert.deepEqual(w.errors, []);
    await context.close();
  });

  test('window.kefuSettings and the JS API: open, ask, setLocale, events', async () => {
    const w = await widget('/api.html');
    await w.launcher.waitFor();
    assert.equal(await w.launcher.getAttribute('aria-label'), 'Open customer service chat', 'English from kefuSettings');
    await w.page.evaluate(() => {
      window.kefu.on('open', () => window.kefuEvents.push('open'));
      window.kefu.on('message', (m) => window.kefuEvents.push(`message:${m.from}`));
      window.kefu.ask('怎么开发票');
    });
    await w.window.waitFor({ state: 'visible' });
    await w.user.first().waitFor();
    await w.settled();
    const events = await w.page.evaluate(() => window.kefuEvents);
    assert.ok(events.includes('open'), events.join());
    assert.ok(events.includes('message:customer') && events.includes('message:bot'), events.join());
    assert.equal(await w.input.getAttribute('placeholder'), 'Type your question…');
    assert.equal(await w.page.getByTestId('kefu-window').evaluate((e) => e.closest('.kefu').lang), 'en',
      'the page chose English: a Chinese question does not switch the UI');
    await w.page.evaluate(() => window.kefu.setLocale('zh-TW'));
    await w.page.waitForTimeout(200);
    assert.equal(await w.page.getByTestId('kefu-input').getAttribute('placeholder'), '請輸入您的問題…');
    await w.page.evaluate(() => window.kefu.close());
    await w.window.waitFor({ state: 'hidden' });
    await w.context.close();
  });

  test('the header follows the shop\'s working hours in every language, and changes when the hour passes', async () => {
    // The demo shop works 09:00-21:00 (+08:00) every day. One minute before closing:
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1000, height: 760 } });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.clock.install({ time: new Date('2026-11-20T20:59:00+08:00') });
    await page.goto(`${url}/shop.html`);
    const w = new Widget(page);
    await w.open();
    const subtitle = page.getByTestId('kefu-subtitle');
    assert.equal(await subtitle.innerText(), '智能客服 · 在线', 'agents at work');
    // The hour passes while the window is open: the header says when agents are back.
    await page.clock.runFor('01:00');
    await subtitle.getByText('智能客服 · 人工客服 明天 09:00 上线').waitFor({ timeout: 5000 });
    const added = await w.ask('转人工');
    assert.match(texts(added), /非工作时间/, 'the engine agrees');
    await page.getByTestId('leave-message-form').waitFor();
    await shot(w, '19-header-after-hours-zh-CN');
    await page.evaluate(() => window.kefu.setLocale('en'));
    await subtitle.getByText('Virtual assistant · agents back tomorrow at 09:00').waitFor({ timeout: 5000 });
    await shot(w, '19-header-after-hours-en');
    await page.evaluate(() => window.kefu.setLocale('zh-TW'));
    await subtitle.getByText('智慧客服 · 真人客服 明天 09:00 上線').waitFor({ timeout: 5000 });
    // After midnight the same morning is "09:00"; at 09:00 agents are online again.
    await page.clock.fastForward('04:00:00');
    await subtitle.getByText('智慧客服 · 真人客服 09:00 上線').waitFor({ timeout: 5000 });
    await page.clock.fastForward('07:59:30');
    await page.clock.runFor('00:45');
    await subtitle.getByText('智慧客服 · 線上').waitFor({ timeout: 5000 });
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('after hours before a holiday the header names the day agents are back', async () => {
    // The demo shop closes 2027-02-06..08 (Sat-Mon); on Friday night agents are back on Tuesday.
    const w = await widget('/api.html', { clock: new Date('2027-02-05T22:00:00+08:00') });
    await w.page.evaluate(() => window.kefu.open());
    await w.window.waitFor({ state: 'visible' });
    assert.match(await w.page.getByTestId('kefu-subtitle').innerText(), /^Virtual assistant · agents back on Tue.*09:00$/);
    await w.context.close();
  });

  test('chat.html fills a phone screen', async () => {
    const w = await widget('/chat.html?lang=zh-CN', { viewport: { width: 390, height: 740 }, contextOptions: { isMobile: true, hasTouch: true } });
    await w.window.waitFor({ state: 'visible' });
    await w.bot.first().waitFor();
    assert.equal(await w.launcher.count(), 0, 'no launcher');
    const box = await w.window.boundingBox();
    assert.equal(Math.round(box.width), 390);
    assert.equal(Math.round(box.height), 740);
    await w.settled();
    await shot(w, '07-mobile-chat');
    await axe(w, 'mobile chat');
    await w.context.close();
  });

  test('keyboard: typeahead, Escape closes and gives the focus back', async () => {
    const w = await widget();
    await w.open();
    assert.equal(await w.focused(), 'kefu-input', 'the input has the focus when the window opens');
    await axe(w, 'welcome');
    await w.input.pressSequentially('fp');
    const suggestions = w.page.getByTestId('kefu-suggestion');
    await suggestions.first().waitFor();
    const first = await suggestions.first().innerText();
    await w.input.press('ArrowDown');
    assert.equal(await suggestions.first().getAttribute('aria-selected'), 'true');
    await w.turn(() => w.input.press('Enter'));
    assert.equal(await w.lastUserText(), first);
    await w.input.pressSequentially('tuihuo');
    await suggestions.first().waitFor();
    await w.input.press('Escape');
    assert.equal(await suggestions.count(), 0, 'Escape hides the suggestions first');
    await w.input.press('Escape');
    await w.window.waitFor({ state: 'hidden' });
    assert.equal(await w.focused(), 'kefu-launcher');
    await w.context.close();
  });

  test('a knowledge base that fails to load shows an error', async () => {
    const w = await widget('/missing-kb.html');
    await w.launcher.click();
    const error = w.page.getByTestId('kefu-load-error');
    await error.waitFor();
    assert.match(await error.innerText(), /404/);
    assert.equal(await w.input.count(), 0);
    await axe(w, 'load error');
    await w.context.close();
  });

  test('the designer preview shows a linkable state with the panel\'s theme', async () => {
    const w = await widget('/preview.html?state=products&lang=en&title=Preview%20Shop&primary=%23116611');
    const frame = w.page.frameLocator('#frame');
    await frame.getByTestId('product-card').first().waitFor();
    assert.equal(await frame.getByTestId('kefu-title').innerText(), 'Preview Shop');
    assert.equal(await frame.getByTestId('kefu-input').getAttribute('placeholder'), 'Type your question…');
    assert.equal(await frame.getByTestId('product-card').count(), 3);
    await shot(w, '10-preview');

    // The welcome text and hot questions edited in the panel show in the chat window at once.
    await w.page.locator('select[name=state]').selectOption('welcome');
    await w.page.locator('select[name=lang]').selectOption('zh-CN');
    await w.page.locator('textarea[name=welcome]').fill('欢迎光临设计预览店！');
    // 「花呗」 is a clarify (several entries fit): it becomes the engine's first choice rather
    // than vanishing; a question nothing fits is left out, and the panel says so.
    await w.page.locator('textarea[name=hot]').fill('退货运费谁出\n怎么开发票\n花呗\n今天天气怎么样');
    // The frame reports once it has the final hot questions (typing reloads it more than once).
    const report = w.page.getByTestId('hot-report');
    await report.nth(3).waitFor();
    await frame.getByTestId('msg-bot').filter({ hasText: '欢迎光临设计预览店！' }).waitFor();
    await frame.getByTestId('chip-hot').nth(2).waitFor();
    const hot = await frame.getByTestId('chip-hot').allInnerTexts();
    assert.equal(hot.length, 3, `one chip per question the knowledge base has an entry for: ${hot}`);
    assert.match(hot[0], /运费/, hot.join());
    assert.match(hot[1], /发票/, hot.join());
    assert.match(hot[2], /花呗/, hot.join());
    assert.deepEqual(await report.evaluateAll((els) => els.map((e) => e.dataset.found)), ['true', 'true', 'true', 'false'],
      (await report.allInnerTexts()).join('\n'));
    assert.match(await report.nth(2).innerText(), /^花呗 → .*花呗/);
    assert.match(await report.nth(3).innerText(), /今天天气怎么样 → no matching entry/);
    assert.match(w.page.url(), /welcome=/, 'the edited state is linkable');
    await shot(w, '16-preview-welcome-hot');
    await w.context.close();
  });

  test('the designer preview: every gallery state renders in zh-CN, zh-TW and en, with no backend', async () => {
    // Noon in the demo shop's time zone (+08:00): 「转人工」 meets working hours.
    const noon = new Date();
    noon.setUTCHours(4, 0, 0, 0);
    const w = await widget('/preview.html', { clock: noon });
    const states = await w.page.locator('select[name=state] option').allInnerTexts();
    assert.ok(states.length >= 20, states.join());
    // What each state must show (besides one bot reply after each customer message).
    const expect = {
      welcome: '[data-testid=chip-hot]',
      answer: '[data-testid=msg-bot][data-kind=answer]',
      detail: '[data-testid=msg-bot][data-kind=answer]',
      clarify: '[data-testid=msg-bot][data-kind=clarify]',
      fallback: '[data-testid=msg-bot][data-kind=fallback]',
      context: '[data-testid=msg-bot]',
      products: '[data-testid=product-card]',
      flow: '[data-testid=flow-step]',
      'order-unavailable': '[data-testid=kefu-notice][data-kind=unavailable]',
      'handoff-unavailable': '[data-testid=handoff-notice][data-kind=unavailable]',
      rating: '[data-testid=rating]',
      markup: '[data-testid=msg-user]',
      error: '[data-testid=kefu-load-error]',
      // Sample states: the engine's own replies around sample data of a server.
      order: '[data-testid=order-card]',
      confirmation: '[data-testid=flow-step][data-expects=yes-no]',
      upload: '[data-testid=flow-step][data-expects=image]',
      queue: '[data-testid=handoff-notice][data-kind=queue]',
      agent: '[data-testid=agent-message]',
      offline: '[data-testid=job-status][data-kind=queued]',
      'leave-message': '[data-testid=leave-message-form]',
    };
    const samples = ['order', 'confirmation', 'upload', 'queue', 'agent', 'offline', 'leave-message'];
    const placeholder = { 'zh-CN': '请输入您的问题…', 'zh-TW': '請輸入您的問題…', en: 'Type your question…' };
    const asks = JSON.parse(readFileSync(join(DIST, 'preview.js'), 'utf8').match(/var STATES = (\{[\s\S]*?\});/)[1]
      .replace(/\/\/.*$/gm, '').replace(/'/g, '"').replace(/([{,]\s*)([a-z][a-z-]*):/g, '$1"$2":'));
    const requests = [];
    w.page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    for (const lang of ['zh-CN', 'zh-TW', 'en']) {
      for (const state of states) {
        assert.ok(expect[state], `an expectation for the state ${state}`);
        await w.page.goto(`${url}/preview.html?state=${state}&lang=${lang}`);
        const frame = w.page.frameLocator('#frame');
        const users = frame.getByTestId('msg-user');
        const items = frame.locator('[data-testid=kefu-messages] > *');
        // Every question asked, the last one answered, then nothing more for a moment.
        let seen = '';
        const asked = !samples.includes(state) && state !== 'error';
        for (let i = 0, quiet = 0; asked && i < 100 && quiet < 3; i++) {
          await w.page.waitForTimeout(150);
          const n = await users.count();
          const last = await items.last().getAttribute('data-testid').catch(() => null);
          const now = `${n}/${await items.count()}`;
          quiet = n === asks[state].length && last && last !== 'msg-user' && now === seen ? quiet + 1 : 0;
          seen = now;
        }
        await frame.locator(expect[state]).first().waitFor({ timeout: 5000 })
          .catch(async () => assert.fail(`${lang} ${state}: no ${expect[state]}:\n${await frame.getByTestId('kefu-messages').innerText()}`));
        if (asked) assert.equal(await users.count(), asks[state].length, `${lang} ${state}`);
        if (state === 'upload') {
          await frame.getByTestId('composer-upload').waitFor({ state: 'attached' });
        }
        if (state === 'upload' && lang === 'zh-CN') {
          // No server (no data-api): the photo cannot be sent, and the widget says so instead
          // of answering the step with it.
          const bots = await frame.getByTestId('msg-bot').count();
          await frame.getByTestId('flow-upload').last().setInputFiles({ name: 'seam.png', mimeType: 'image/png', buffer: PNG });
          const notice = frame.locator('[data-testid=kefu-notice][data-kind=unavailable]').last();
          await notice.waitFor({ timeout: 5000 });
          assert.match(await notice.innerText(), /照片现在无法发送/);
          await w.page.waitForTimeout(300);
          assert.equal(await frame.locator('[data-kind=photo]').count(), 0, 'no photo shown as sent or waiting');
          assert.equal(await frame.getByTestId('msg-bot').count(), bots, 'the step is not answered');
          await shot(w, '17-preview-upload-no-server');
        }
        if (state === 'error') {
          // The error speaks the page's language: its retry button at least.
          const retry = { 'zh-CN': /重试|重新/, 'zh-TW': /重試|重新/, en: /retry|try again/i }[lang];
          assert.match(await frame.getByTestId('kefu-load-error').innerText(), retry, `${lang} error`);
        } else {
          const last = await items.last().getAttribute('data-testid');
          assert.notEqual(last, 'msg-user', `${lang} ${state}: a reply after the last question`);
          assert.equal(await frame.getByTestId('kefu-input').getAttribute('placeholder'), placeholder[lang], `${lang} ${state}`);
        }
        // The header says what the state would have: offline, unavailable, the agent serving.
        const subtitle = {
          offline: { 'zh-CN': '智能客服 · 离线', 'zh-TW': '智慧客服 · 離線', en: 'Virtual assistant · offline' },
          error: { 'zh-CN': '智能客服 · 暂时无法使用', 'zh-TW': '智慧客服 · 暫時無法使用', en: 'Virtual assistant · unavailable' },
        }[state]?.[lang] ?? (state === 'agent' ? null : { 'zh-CN': '智能客服 · 在线', 'zh-TW': '智慧客服 · 線上', en: 'Virtual assistant · online' }[lang]);
        const header = await frame.getByTestId('kefu-subtitle').innerText();
        if (subtitle) assert.equal(header, subtitle, `${lang} ${state}: the header`);
        else assert.match(header, /小王|Wang/, `${lang} ${state}: the header names the agent`);
        if (state === 'markup') {
          assert.equal(await users.first().innerText().then((t) => t.includes('<img')), true, 'markup shown as text');
          assert.equal(await frame.locator('[data-testid=kefu-messages] img').count(), 0);
        }
        if (lang === 'zh-CN') {
          // axe-core on every state of the gallery (the preview frame allows inline scripts).
          const inFrame = w.page.frames().find((f) => f.url().includes('/preview-frame.html'));
          assert.deepEqual(await axeViolations(inFrame), [], `axe: serious/critical violations in ${state}`);
        }
        if (['welcome', 'clarify', 'products', 'flow', 'error', 'order', 'agent', 'upload', 'offline'].includes(state)) {
          await w.page.waitForTimeout(300); // the list scrolls to the newest once the frame is drawn
          await shot(w, `17-preview-${state}-${lang}`);
        }
      }
    }
    assert.deepEqual(requests.filter((p) => p.startsWith('/api/')), [], 'no backend asked');
    // Only the error state's missing knowledge base is reported.
    assert.deepEqual(w.errors.filter((e) => !/preview-missing\.bin|404/.test(e)), []);
    await w.context.close();
  });

  test('voice input: a button only with speech recognition; what is heard lands in the input', async () => {
    const none = await browser.newContext({ locale: 'zh-CN' });
    await none.addInitScript(() => { delete window.SpeechRecognition; delete window.webkitSpeechRecognition; });
    let w = await widget('/shop.html', { context: none });
    await w.open();
    assert.equal(await w.page.getByTestId('kefu-voice').count(), 0, 'hidden without speech recognition');
    await none.close();

    const speech = await browser.newContext({ locale: 'zh-CN' });
    await speech.addInitScript(() => {
      window.SpeechRecognition = class {
        start() {
          window.__heardLang = this.lang;
          setTimeout(() => { this.onresult({ results: [[{ transcript: '怎么开发票' }]] }); this.onend(); }, 50);
        }
      };
    });
    w = await widget('/shop.html', { context: speech });
    await w.open();
    await w.page.getByTestId('kefu-voice').click();
    await w.page.waitForFunction(() => document.querySelector('kefu-widget').shadowRoot.querySelector('[data-testid=kefu-input]').value === '怎么开发票');
    assert.equal(await w.page.evaluate(() => window.__heardLang), 'zh-CN');
    const added = await w.turn(() => w.input.press('Enter'));
    assert.ok(added.some((a) => a.kind === 'answer' || a.kind === 'clarify'), texts(added));
    await speech.close();
  });

  test('a saved conversation of the previous build is restored; one that does not read keeps its text', async () => {
    const fixture = readFileSync(new URL('../fixtures/session-v1.txt', import.meta.url), 'utf8').trim();
    const seeded = async (value) => {
      const context = await browser.newContext({ locale: 'zh-CN' });
      await context.addInitScript(([key, v]) => localStorage.setItem(key, v), [`kefu:v1:session:${url}/kb.bin`, value]);
      const w = await widget('/shop.html', { context });
      await w.open();
      return w;
    };
    let w = await seeded(fixture);
    assert.deepEqual(await w.user.locator('.kefu-bubble').allInnerTexts(), ['这款手机的电池容量多大？', '小麦手机 X1 Pro', '我的订单123456发货了吗？']);
    assert.match(await w.bot.allInnerTexts().then((t) => t.join('\n')), /5500mAh/);
    assert.equal(await w.page.locator('[data-testid=kefu-notice][data-kind=unrestored]').count(), 0);
    assert.equal(await w.page.getByTestId('chip-hot').count() > 0, true, 'the welcome of the saved chat, not a second one');
    assert.equal(await w.page.locator('[data-kind=hot-questions]').count(), 1);
    await w.context.close();

    // The same bytes cut short: the layout does not fit, the transcript's text is kept.
    const bytes = Buffer.from(fixture, 'base64');
    w = await seeded(`2:${bytes.subarray(0, Math.floor(bytes.length * 2 / 3)).toString('base64')}`);
    const notice = w.page.locator('[data-testid=kefu-notice][data-kind=unrestored]');
    await notice.waitFor();
    assert.match(await notice.innerText(), /无法完整恢复/);
    assert.deepEqual(await w.user.locator('.kefu-bubble').allInnerTexts(), ['这款手机的电池容量多大？', '小麦手机 X1 Pro', '我的订单123456发货了吗？']);
    assert.match(await w.bot.allInnerTexts().then((t) => t.join('\n')), /5500mAh/);
    assert.equal(await w.page.locator('[data-kind=hot-questions]').count(), 1, 'greeted again after the notice');
    await notice.scrollIntoViewIfNeeded();
    await shot(w, '12-unrestored');
    const added = await w.ask('怎么开发票');
    assert.ok(added.some((a) => a.kind === 'answer' || a.kind === 'clarify'), texts(added));
    assert.deepEqual(w.errors.filter((e) => !/does not read/.test(e)), []);
    await w.context.close();
  });
});

// The service worker of chat.html (www/kefu-sw.js): each build is a new worker with its own
// cache; activating it deletes the previous build's cache (and the unversioned one of older
// builds) but leaves every other cache of the origin alone; the knowledge bases it keeps are
// bounded. Its own server, so the test can deploy a "new build" of the worker.
describe('kefu service worker', () => {
  const worker = readFileSync(join(DIST, 'kefu-sw.js'), 'utf8');
  const build = (version) => {
    assert.match(worker, /^var VERSION = '[^']*';/m, 'kefu-sw.js has a VERSION line');
    return worker.replace(/^var VERSION = '[^']*';/m, `var VERSION = '${version}';`);
  };
  const files = { '/kefu-sw.js': build('e2e-old') };
  for (let i = 1; i <= 5; i++) files[`/kb-${i}.bin`] = `knowledge base ${i}`;
  let server, url, browser;

  before(async () => {
    ({ server, url } = await serve(DIST, files));
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    server?.close();
  });

  test('a new build\'s activation deletes the old build\'s cache; the kept knowledge bases are bounded', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 420, height: 760 } });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url}/chat.html`);
    await page.getByTestId('msg-bot').first().waitFor();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
    const names = () => page.evaluate(() => caches.keys());
    const OLD = 'kefu-offline:/:e2e-old', NEW = 'kefu-offline:/:e2e-new';
    assert.ok((await names()).includes(OLD), (await names()).join());

    // Knowledge bases fetched through the worker: only the three stored last stay.
    const bins = () => page.evaluate(async (name) => {
      const cache = await caches.open(name);
      return (await cache.keys()).map((r) => new URL(r.url).pathname).filter((p) => p.endsWith('.bin'));
    }, OLD);
    for (let i = 1; i <= 5; i++) {
      assert.equal(await page.evaluate(async (u) => (await fetch(u)).text(), `/kb-${i}.bin`), `knowledge base ${i}`);
    }
    let kept = [];
    for (let i = 0; i < 50; i++) {
      kept = await bins();
      if (kept.join() === '/kb-3.bin,/kb-4.bin,/kb-5.bin') break;
      await page.waitForTimeout(100);
    }
    assert.deepEqual(kept, ['/kb-3.bin', '/kb-4.bin', '/kb-5.bin'], 'at most three knowledge bases, the newest');

    // Other caches of the origin: the unversioned one of older builds (deleted), another
    // widget folder's and the shop's own (kept).
    await page.evaluate(async () => {
      for (const name of ['kefu-offline-v1', 'kefu-offline:/other/:x', 'shop-images']) {
        await (await caches.open(name)).put('/x', new Response('x'));
      }
    });

    // A new build is deployed: the browser installs its worker, whose activation cleans up.
    files['/kefu-sw.js'] = build('e2e-new');
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
    let now = [];
    for (let i = 0; i < 100; i++) {
      now = await names();
      if (now.includes(NEW) && !now.includes(OLD)) break;
      await page.waitForTimeout(100);
    }
    assert.ok(now.includes(NEW), `the new build's cache: ${now.join()}`);
    assert.ok(!now.includes(OLD), `the old build's cache is gone: ${now.join()}`);
    assert.ok(!now.includes('kefu-offline-v1'), `the unversioned cache is gone: ${now.join()}`);
    for (const name of ['kefu-offline:/other/:x', 'shop-images', 'kefu-kb-v1']) {
      assert.ok(now.includes(name), `${name} is left alone: ${now.join()}`);
    }
    // The new cache holds the shell, so the page still opens offline.
    await context.setOffline(true);
    const reloaded = await page.reload();
    assert.ok(reloaded.fromServiceWorker(), 'the page came from the new worker');
    await page.getByTestId('msg-bot').first().waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });
});
