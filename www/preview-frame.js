// Inside the preview frame: a fresh conversation each time, then the state's questions asked
// one after another (asks=[…] in the URL).
(function () {
  'use strict';
  try {
    Object.keys(localStorage).forEach(function (k) { if (k.indexOf('kefu:') === 0) localStorage.removeItem(k); });
  } catch (e) {}
  var asks = [];
  try { asks = JSON.parse(new URLSearchParams(location.search).get('asks') || '[]'); } catch (e) {}
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
