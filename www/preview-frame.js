// Inside the preview frame: a fresh conversation each time, then the state's questions asked
// one after another (asks=[…] in the URL).
(function () {
  'use strict';
  try {
    Object.keys(localStorage).forEach(function (k) { if (k.indexOf('kefu:') === 0) localStorage.removeItem(k); });
  } catch (e) {}
  var query = new URLSearchParams(location.search);
  var asks = [];
  try { asks = JSON.parse(query.get('asks') || '[]'); } catch (e) {}
  // The gallery's error state: a knowledge base that is not there.
  if (query.get('state') === 'error') window.kefuSettings = { kb: 'preview-missing.bin' };
  window.addEventListener('load', function () {
    window.kefu.open();
    var i = 0;
    function next() {
      if (i < asks.length) { window.kefu.ask(asks[i++]); setTimeout(next, 400); }
    }
    window.kefu.on('ready', function () { setTimeout(next, 300); });
    // What became of each hot question typed in the panel, shown there (same origin only).
    window.kefu.on('preview', function (detail) {
      if (window.parent !== window) window.parent.postMessage({ kefuPreview: detail }, location.origin);
    });
  });
})();
