// Inside the preview frame: a fresh conversation each time, then the state's questions asked
// one after another (asks=[…] in the URL).
(function () {
  'use strict';
  try {
    Object.keys(localStorage).forEach(function (k) { if (k.indexOf('kefu:') === 0) localStorage.removeItem(k); });
  } catch (e) {}
  // The designer types in the panel beside this frame, which reloads as they pause: the chat
  // opening here must not take the focus (and the keys typed next) away from the panel.
  var focus = HTMLElement.prototype.focus;
  HTMLElement.prototype.focus = function (options) {
    var panel = null;
    try { panel = window.parent !== window && window.parent.document.activeElement; } catch (e) {}
    if (panel && panel !== window.frameElement && panel !== window.parent.document.body) return;
    focus.call(this, options);
  };
  var query = new URLSearchParams(location.search);
  var asks = [];
  try { asks = JSON.parse(query.get('asks') || '[]'); } catch (e) {}
  // The gallery's error state: a knowledge base that is not there.
  if (query.get('state') === 'error') window.kefuSettings = { kb: 'preview-missing.bin' };
  // kefu.js loads async: as soon as its API exists (long before the widget itself has
  // loaded), listen and open; calls made before the widget is ready are queued by the loader
  // and run in order, so neither an event nor a question is lost whenever the page finishes.
  (function start() {
    if (!window.kefu) return setTimeout(start, 10);
    // What became of each hot question typed in the panel, shown there (same origin only).
    // Sent when the widget has it, and again whenever the panel asks (it may have been
    // listening to an earlier page of this frame).
    var report = null;
    function tell() {
      if (report && window.parent !== window) window.parent.postMessage({ kefuPreview: report }, location.origin);
    }
    window.kefu.on('preview', function (detail) { report = detail; tell(); });
    window.addEventListener('message', function (e) {
      if (e.origin === location.origin && e.source === window.parent && e.data && e.data.kefuPreviewAsk) tell();
    });
    window.kefu.open();
    var i = 0;
    (function next() {
      if (i < asks.length) { window.kefu.ask(asks[i++]); setTimeout(next, 400); }
    })();
  })();
})();
