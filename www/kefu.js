/*! kefu loader: one script tag puts the kefu chat widget on any page.
 *
 *   <script src="https://shop.example/kefu/kefu.js" data-kb="https://shop.example/kefu/kb.bin"
 *           data-api="https://shop.example" async></script>
 *
 * Shows the launcher at once, in a Shadow DOM (the page's CSS cannot reach the widget and the
 * widget's CSS stays inside), then loads the WebAssembly widget when the browser is idle or
 * on the first open, whichever comes first. No inline scripts or styles, no eval: works under
 * a strict Content-Security-Policy that allows 'wasm-unsafe-eval'. Including it twice mounts
 * once. Settings: the data-* attributes, overridden by window.kefuSettings (data-offline: register
 * kefu-sw.js so the page itself opens offline, see docs/embedding.md). API: window.kefu
 * (open, close, toggle, ask, setUser, setLocale, on). See docs/embedding.md.
 */
(function () {
  'use strict';
  var w = window, d = document;
  if (w.kefu && w.kefu.version) return;

  var script = d.currentScript;
  var here = script && script.src ? script.src : d.baseURI;
  var base = new URL('.', here).href;
  var settings = {};
  var data = script ? script.dataset : {};
  var name;
  for (name in data) settings[name] = data[name];
  var page = w.kefuSettings || {};
  for (name in page) settings[name] = page[name];
  settings.kb = new URL(settings.kb || 'kb.bin', settings.kb ? d.baseURI : base).href;
  if (settings.api) settings.api = new URL(settings.api, d.baseURI).href.replace(/\/+$/, '');
  var user = settings.user;
  if (user && typeof user === 'object') {
    settings.user = String(user.id || '');
    settings.userName = String(user.name || '');
    settings.userHash = String(user.hash || '');
  }
  var query = new URLSearchParams(location.search);
  var fs = query.has('fullscreen') ? query.get('fullscreen') : settings.fullscreen;
  var fullscreen = fs != null && !/^(0|false|no|off)$/.test(String(fs));

  var handlers = {};
  function emit(event, detail) {
    (handlers[event] || []).slice().forEach(function (fn) {
      try { fn(detail); } catch (e) { console.error('kefu: a "' + event + '" handler threw', e); }
    });
  }

  // The host element and its shadow root: the stylesheet, then the launcher placeholder.
  var host = d.createElement('kefu-widget');
  // Inline !important (set through the CSSOM, which a CSP allows) beats any page rule.
  host.style.setProperty('display', 'block', 'important');
  host.style.setProperty('visibility', 'visible', 'important');
  var root = host.attachShadow({ mode: 'open' });
  // The launcher's own style, applied at once (a constructed stylesheet: no inline <style>, so
  // a strict CSP allows it); kefu.css follows for everything else.
  try {
    var first = new CSSStyleSheet();
    first.replaceSync('.kefu-launcher{position:fixed;right:24px;bottom:24px;z-index:2147483000;width:56px;height:56px;'
      + 'border:0;border-radius:50%;display:grid;place-items:center;cursor:pointer;color:#fff;'
      + 'background:var(--kefu-strong,#1262d4);box-shadow:0 6px 20px rgba(0,0,0,.22)}'
      + '.kefu-launcher--left{right:auto;left:24px}.kefu-icon{width:28px;height:28px;fill:currentColor}');
    root.adoptedStyleSheets = [first];
  } catch (e) { /* older browsers: kefu.css styles it a moment later */ }
  var css = d.createElement('link');
  css.rel = 'stylesheet';
  css.href = base + 'kefu.css';
  root.appendChild(css);
  var mountPoint = d.createElement('div');
  mountPoint.className = 'kefu-mount';
  root.appendChild(mountPoint);

  var labels = { 'zh-CN': '打开在线客服', 'zh-TW': '開啟線上客服', en: 'Open customer service chat' };
  function locale() {
    var tags = [query.get('lang'), query.get('locale'), settings.locale, settings.lang]
      .concat(navigator.languages || [navigator.language]);
    for (var i = 0; i < tags.length; i++) {
      var t = String(tags[i] || '').toLowerCase();
      if (!t) continue;
      if (t === 'en' || t.indexOf('en-') === 0) return 'en';
      if (/^zh-(hant|tw|hk|mo)/.test(t)) return 'zh-TW';
      if (t === 'zh' || t.indexOf('zh-') === 0) return 'zh-CN';
    }
    return 'zh-CN';
  }

  var placeholder = null;
  if (!fullscreen) {
    placeholder = d.createElement('button');
    placeholder.type = 'button';
    placeholder.className = 'kefu-launcher kefu-launcher--placeholder' + (settings.position === 'left' ? ' kefu-launcher--left' : '');
    placeholder.setAttribute('data-testid', 'kefu-launcher');
    placeholder.setAttribute('aria-label', labels[locale()]);
    placeholder.setAttribute('aria-haspopup', 'dialog');
    placeholder.setAttribute('aria-expanded', 'false');
    var svg = d.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('class', 'kefu-icon');
    svg.setAttribute('aria-hidden', 'true');
    var path = d.createElementNS('http://www.w3.org/2000/svg', 'path');
    path.setAttribute('d', 'M12 3C6.5 3 2 6.8 2 11.5c0 2.5 1.3 4.8 3.4 6.3L4.6 21.4l4.2-2.1c1 .3 2.1.4 3.2.4 5.5 0 10-3.8 10-8.5S17.5 3 12 3z');
    svg.appendChild(path);
    placeholder.appendChild(svg);
    placeholder.addEventListener('click', function () { call('open', []); });
    root.appendChild(placeholder);
  }

  var widget = null, loading = null, pending = [];
  function load() {
    if (loading) return loading;
    if (placeholder) placeholder.setAttribute('aria-busy', 'true');
    // The three downloads start together: the glue, the wasm (compiled while it streams in,
    // before the glue has even arrived) and the knowledge base (handed to the widget, which
    // would otherwise ask for it only once mounted). `no-cache`: revalidated with the server,
    // a 304 costs no download. A server that does not send the wasm as application/wasm
    // makes compileStreaming fail: then it is compiled from the downloaded bytes.
    var wasmUrl = base + 'kefu-widget_bg.wasm';
    var wasm = (WebAssembly.compileStreaming ? WebAssembly.compileStreaming(fetch(wasmUrl)) : Promise.reject())
      .catch(function () {
        return fetch(wasmUrl).then(function (r) {
          if (!r.ok) throw new Error('HTTP ' + r.status + ' for ' + wasmUrl);
          return r.arrayBuffer();
        }).then(function (bytes) { return WebAssembly.compile(bytes); });
      });
    try {
      settings.kbFetch = fetch(settings.kb, { cache: 'no-cache' });
      settings.kbFetch.catch(function () { /* the widget reports it, or uses its saved copy */ });
    } catch (e) { delete settings.kbFetch; }
    loading = import(base + 'kefu-widget.js')
      .then(function (m) {
        return m.default({ module_or_path: wasm }).then(function () { return m; });
      })
      .then(function (m) {
        var hadFocus = placeholder && root.activeElement === placeholder;
        if (placeholder) placeholder.remove();
        widget = m.mount(mountPoint, settings, emit);
        var calls = pending;
        pending = [];
        calls.forEach(function (c) { widget[c[0]].apply(widget, c[1]); });
        if (hadFocus) {
          var launcher = root.querySelector('.kefu-launcher');
          if (launcher) launcher.focus();
        }
        emit('ready');
      })
      .catch(function (e) {
        console.error('kefu: the widget failed to load from ' + base, e);
        loading = null;
        if (placeholder) placeholder.removeAttribute('aria-busy');
      });
    return loading;
  }
  function call(method, args) {
    if (widget) return widget[method].apply(widget, args);
    pending.push([method, args]);
    load();
  }

  w.kefu = {
    version: '1',
    open: function () { call('open', []); },
    close: function () { call('close', []); },
    toggle: function () { call('toggle', []); },
    ask: function (text) { call('ask', [String(text)]); },
    setUser: function (u) {
      u = u || {};
      call('setUser', [String(u.id || ''), String(u.name || ''), String(u.hash || '')]);
    },
    setLocale: function (tag) { call('setLocale', [String(tag)]); },
    on: function (event, fn) {
      (handlers[event] = handlers[event] || []).push(fn);
      return function off() {
        handlers[event] = (handlers[event] || []).filter(function (f) { return f !== fn; });
      };
    }
  };

  // Offline start of a page of ours (chat.html sets data-offline): kefu-sw.js keeps the widget's
  // files. Only where it can work and cannot get in a shop's way: a secure context, a page in
  // kefu.js's own folder on its own origin (a worker controls nothing else), and no other
  // worker registered for exactly that folder (registering ours would replace it).
  function offline() {
    var sw = navigator.serviceWorker;
    var wanted = settings.offline != null && !/^(0|false|no|off)$/.test(String(settings.offline));
    if (!wanted || !sw || !w.isSecureContext || location.href.indexOf(base) !== 0) return;
    var mine = base + 'kefu-sw.js';
    sw.getRegistration(base).then(function (r) {
      var other = r && r.scope === base && [r.active, r.waiting, r.installing].some(function (x) {
        return x && x.scriptURL !== mine;
      });
      if (other) return console.warn('kefu: another service worker serves ' + base + '; not replacing it');
      return sw.register(mine, { scope: base });
    }).catch(function (e) { console.warn('kefu: no offline start', e); });
  }

  function attach() {
    offline();
    d.body.appendChild(host);
    if (fullscreen) load();
    else if (w.requestIdleCallback) w.requestIdleCallback(load, { timeout: 4000 });
    else setTimeout(load, 1500);
  }
  if (d.body) attach();
  else d.addEventListener('DOMContentLoaded', attach);
})();
