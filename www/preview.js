// The designer preview's panel: every change reloads the preview frame with the settings in
// its URL (the widget reads theme, title, avatar, position and language from the URL, and on
// the preview frame, which says data-preview, the welcome text and hot questions). Typing
// updates it as soon as the designer pauses.
(function () {
  'use strict';
  var STATES = {
    welcome: [],
    answer: ['怎么开发票'],
    detail: ['怎么开发票', '详细说说'],
    clarify: ['花呗'],
    fallback: ['今天天气怎么样'],
    context: ['这款手机的电池容量多大？'],
    products: ['想买一件适合夏天旅游穿的，透气又好洗的T恤，200以内'],
    flow: ['我要退货'],
    'order-unavailable': ['我的订单123456发货了吗？'],
    'handoff-unavailable': ['转人工'],
    rating: ['怎么开发票', '好的谢谢'],
    markup: ['<img src=x onerror=alert(1)>'],
    // Made by the widget with sample data (what a server would send), no questions asked
    // here (src/chat/preview.rs).
    order: [],
    confirmation: [],
    upload: [],
    queue: [],
    agent: [],
    offline: [],
    'leave-message': [],
    // The knowledge base fails to load (the frame asks for one that does not exist).
    error: []
  };
  var form = document.getElementById('panel');
  var frame = document.getElementById('frame');
  var link = document.getElementById('link');
  var select = document.getElementById('state');
  Object.keys(STATES).forEach(function (s) {
    var o = document.createElement('option');
    o.textContent = s;
    select.appendChild(o);
  });
  var query = new URLSearchParams(location.search);
  Array.prototype.forEach.call(form.elements, function (el) {
    if (el.name && query.has(el.name)) el.value = query.get(el.name);
  });
  function params() {
    var p = new URLSearchParams();
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && el.value) p.set(el.name, el.value);
    });
    return p;
  }
  // The page the frame shows (or is loading). A field's change event and the pause after typing
  // in it both ask for the same settings: the frame reloads only when they differ, so a page
  // that is already there (and has reported its hot questions) is not replaced by a copy.
  var shown = null;
  function show(force) {
    var p = params();
    var src = 'preview-frame.html?' + p.toString() + '&asks=' + encodeURIComponent(JSON.stringify(STATES[p.get('state')] || []));
    if (force === true || src !== shown) frame.src = shown = src;
    link.href = '?' + p.toString();
    history.replaceState(null, '', '?' + p.toString());
  }
  form.addEventListener('change', show);
  var typing = null;
  form.addEventListener('input', function (e) {
    if (e.target.tagName !== 'TEXTAREA' && e.target.type !== 'text') return;
    clearTimeout(typing);
    typing = setTimeout(show, 300);
  });
  form.addEventListener('submit', function (e) { e.preventDefault(); show(true); });
  // The frame reports what each hot question became: the entry it stands for (when several
  // fit, the engine's first choice) or, when none fits, that it is left out. Text only.
  var report = document.getElementById('hot-report');
  // Each page of the frame, once loaded, is asked for its report too (in case it had it first).
  frame.addEventListener('load', function () {
    if (frame.contentWindow) frame.contentWindow.postMessage({ kefuPreviewAsk: true }, location.origin);
  });
  window.addEventListener('message', function (e) {
    if (e.origin !== location.origin || e.source !== frame.contentWindow || !e.data || !e.data.kefuPreview) return;
    report.textContent = '';
    (e.data.kefuPreview.hot || []).forEach(function (h) {
      var li = document.createElement('li');
      li.setAttribute('data-testid', 'hot-report');
      li.setAttribute('data-found', h.question ? 'true' : 'false');
      li.textContent = h.question ? h.text + ' → ' + h.question : h.text + ' → no matching entry: left out';
      report.appendChild(li);
    });
  });
  show();
})();
