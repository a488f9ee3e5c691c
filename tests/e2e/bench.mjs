// Measures the widget in headless Chromium on 127.0.0.1 and prints a table (scripts/bench-widget.sh):
// sizes gzipped, script tag → launcher visible, first open → welcome shown (cold cache, which
// includes downloading and compiling the wasm and kb.bin), and question → answer shown
// (p50/p99 over the questions below, engine plus rendering). Median of RUNS cold loads.

import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import { DIST, launch, PAGES, serve } from './harness.mjs';

const RUNS = Number(process.env.RUNS ?? 5);
const QUESTIONS = ['怎么开发票', '退货运费谁出', '发飘怎么开', '怎麼開發票', 'tuihuo', '多久发货', '可以用花呗吗',
  '这款手机的电池容量多大？', '想买一件适合夏天旅游穿的，透气又好洗的T恤，200以内', '今天天气怎么样'];

PAGES['/bench.html'] = `<!DOCTYPE html><html><head><meta charset="utf-8"><script src="/bench-start.js"></script>
<script src="/kefu.js" data-kb="/kb.bin" async></script></head><body></body></html>`;
// Runs before the loader and watches for the launcher from inside the page (frame by frame).
PAGES['/bench-start.js'] = `window.__t0 = performance.now();
(function check() {
  var b = document.querySelector('kefu-widget');
  b = b && b.shadowRoot && b.shadowRoot.querySelector('.kefu-launcher');
  if (b && getComputedStyle(b).position === 'fixed' && b.getBoundingClientRect().width > 0) window.__launcher = performance.now() - window.__t0;
  else requestAnimationFrame(check);
})();`;

// Opens at once: script tag → welcome with nothing loaded before (the coldest first answer).
PAGES['/bench-open.html'] = `<!DOCTYPE html><html><head><meta charset="utf-8"><script src="/bench-open-start.js"></script>
<script src="/kefu.js" data-kb="/kb.bin"></script><script src="/bench-open-now.js"></script></head><body></body></html>`;
// __welcome: the frame callback that first finds the welcome; __drawn: a task queued from
// that callback, which runs once that frame is laid out and drawn (the widget's own work in
// the frame, such as focusing the input or measuring the list, included).
PAGES['/bench-open-start.js'] = `window.__t0 = performance.now();
(function check() {
  var h = document.querySelector('kefu-widget');
  if (h && h.shadowRoot.querySelector('[data-testid=msg-bot]')) {
    window.__welcome = performance.now() - window.__t0;
    setTimeout(function () { window.__drawn = performance.now() - window.__t0; }, 0);
  } else requestAnimationFrame(check);
})();`;
PAGES['/bench-open-now.js'] = 'kefu.open();';

const gz = (f) => gzipSync(readFileSync(join(DIST, f)), { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const sizes = Object.fromEntries(['kefu.js', 'kefu-widget_bg.wasm', 'kefu-widget.js', 'kefu.css', 'kb.bin']
  .map((f) => [f, { raw: readFileSync(join(DIST, f)).length, gz: gz(f) }]));
const widget = sizes['kefu-widget_bg.wasm'].gz + sizes['kefu-widget.js'].gz + sizes['kefu.css'].gz;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];

const { server, url } = await serve();
// BASE_DIST: another build (e.g. the one before a change), whose cold open is measured in the
// same runs, interleaved with this one's, for a before/after under the same load.
const base = process.env.BASE_DIST ? await serve(resolve(process.env.BASE_DIST)) : null;
const browser = await launch();
const launcherMs = [], openMs = [], answerMs = [], coldMs = [], drawnMs = [], baseColdMs = [], baseDrawnMs = [];
/** Script tag → welcome with kefu.open() at once, in a fresh profile (cold cache). */
async function coldOpen(at) {
  const cold = await browser.newContext();
  const coldPage = await cold.newPage();
  await coldPage.goto(`${at}/bench-open.html`);
  await coldPage.waitForFunction(() => window.__drawn !== undefined);
  const times = await coldPage.evaluate(() => [window.__welcome, window.__drawn]);
  return { cold, coldPage, times };
}
// Where the coldest open spends its time: when each download started and ended (Resource
// Timing, from the page's first script), per run.
const phases = { glue: [], wasm: [], kb: [] };
for (let run = 0; run < RUNS; run++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${url}/bench.html`);
  await page.waitForFunction(() => window.__launcher !== undefined);
  launcherMs.push(await page.evaluate(() => window.__launcher));
  openMs.push(await page.evaluate(() => new Promise((done) => {
    const root = document.querySelector('kefu-widget').shadowRoot;
    const t = performance.now();
    root.querySelector('.kefu-launcher').click();
    const check = () => (root.querySelector('[data-testid=msg-bot]') ? done(performance.now() - t) : requestAnimationFrame(check));
    check();
  })));
  // The two builds take turns going first, so neither profits from what the other warmed.
  const measureBase = async () => {
    const b = await coldOpen(base.url);
    baseColdMs.push(b.times[0]);
    baseDrawnMs.push(b.times[1]);
    await b.cold.close();
  };
  if (base && run % 2 === 0) await measureBase();
  const { cold, coldPage, times } = await coldOpen(url);
  if (base && run % 2 === 1) await measureBase();
  coldMs.push(times[0]);
  drawnMs.push(times[1]);
  const parts = await coldPage.evaluate(() => {
    const at = (file) => {
      const e = performance.getEntriesByType('resource').find((r) => new URL(r.name).pathname === file);
      return e ? [e.startTime - window.__t0, e.responseEnd - window.__t0] : [NaN, NaN];
    };
    return { glue: at('/kefu-widget.js'), wasm: at('/kefu-widget_bg.wasm'), kb: at('/kb.bin') };
  });
  for (const k of Object.keys(phases)) phases[k].push(parts[k]);
  await cold.close();
  if (run === 0) {
    for (const q of QUESTIONS) {
      answerMs.push(await page.evaluate((q) => new Promise((done) => {
        const root = document.querySelector('kefu-widget').shadowRoot;
        const input = root.querySelector('[data-testid=kefu-input]');
        const before = root.querySelectorAll('[data-testid=msg-user]').length;
        const t = performance.now();
        input.value = q;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        input.form.requestSubmit();
        const check = () => {
          const users = root.querySelectorAll('[data-testid=msg-user]');
          const last = users[users.length - 1];
          if (users.length > before && last.nextElementSibling) done(performance.now() - t);
          else setTimeout(check, 0);
        };
        check();
      }), q));
    }
  }
  await context.close();
}
await browser.close();
server.close();
base?.server.close();

const rows = [
  ['loader kefu.js', kb(sizes['kefu.js'].raw), kb(sizes['kefu.js'].gz), '≤ 5 KB gz'],
  ['wasm', kb(sizes['kefu-widget_bg.wasm'].raw), kb(sizes['kefu-widget_bg.wasm'].gz), ''],
  ['JS glue', kb(sizes['kefu-widget.js'].raw), kb(sizes['kefu-widget.js'].gz), ''],
  ['CSS', kb(sizes['kefu.css'].raw), kb(sizes['kefu.css'].gz), ''],
  ['wasm + glue + CSS', '', kb(widget), '≤ 150 KB gz'],
  ['demo kb.bin', kb(sizes['kb.bin'].raw), kb(sizes['kb.bin'].gz), ''],
  ['everything with kb.bin', '', kb(widget + sizes['kb.bin'].gz + sizes['kefu.js'].gz), '≤ 250 KB gz'],
];
console.log('| file | raw | gzip -9 | target |\n|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
console.log(`\n| timing (headless Chromium, 127.0.0.1, median of ${RUNS} cold loads) | ms | target |\n|---|---|---|`);
console.log(`| script tag → launcher visible | ${median(launcherMs).toFixed(0)} | ≤ 50 |`);
console.log(`| first open → welcome shown (the loader fetched the wasm when idle) | ${median(openMs).toFixed(0)} | ≤ 300 |`);
console.log(`| script tag → welcome, kefu.open() at once (cold: loader, wasm, kb.bin, compile) | ${median(coldMs).toFixed(0)} | ≤ 300 |`);
console.log(`| … that frame laid out and drawn | ${median(drawnMs).toFixed(0)} | |`);
if (base) {
  console.log(`| BASE_DIST, same runs: script tag → welcome, kefu.open() at once | ${median(baseColdMs).toFixed(0)} | |`);
  console.log(`| BASE_DIST, same runs: … that frame laid out and drawn | ${median(baseDrawnMs).toFixed(0)} | |`);
}
const span = (xs) => `${median(xs.map((x) => x[0])).toFixed(0)} → ${median(xs.map((x) => x[1])).toFixed(0)}`;
console.log(`| … of which: JS glue downloaded (start → end) | ${span(phases.glue)} | |`);
console.log(`| … wasm downloaded (compiled while streaming; start → end) | ${span(phases.wasm)} | |`);
console.log(`| … kb.bin downloaded (start → end) | ${span(phases.kb)} | |`);
console.log(`| question → answer shown, p50 / p99 of ${answerMs.length} | ${pct(answerMs, 50).toFixed(1)} / ${pct(answerMs, 99).toFixed(1)} | |`);
