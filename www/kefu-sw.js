/*! kefu service worker: lets the full-screen chat page (chat.html) open with the network down.
 *
 * Registered by kefu.js only on a page that asks for it (data-offline, as chat.html does) and
 * lies inside this file's folder on the same origin: a service worker controls pages of its
 * own origin and folder only, so on a shop's page from another origin the widget starts
 * offline from its own Cache Storage copy of kb.bin instead (docs/embedding.md).
 *
 * Network first, so an online start always gets the current files: every successful answer
 * for one of the widget's files is kept, and the kept copy answers when the network fails.
 * Only the widget's own files are handled; the kefu server's API (orders, handoff, messages)
 * is left alone: the widget queues those requests itself and sends them once back online.
 */
'use strict';

// The build's version: scripts/build-widget.sh writes a hash of the widget's files here, so
// each deploy is a new worker (the browser installs one only when this file changes) with a
// cache of its own, and activating it deletes the caches of the versions before it.
var VERSION = 'dev';
// Caches are shared by the whole origin: the name holds this worker's folder, so a second
// widget folder on the same origin keeps its own.
var PREFIX = 'kefu-offline:' + new URL(self.registration.scope).pathname + ':';
var CACHE = PREFIX + VERSION;
// The name used before versioned caches (one per origin); deleted like an old version.
var UNVERSIONED = 'kefu-offline-v1';
// At most this many knowledge bases (*.bin, a split one's companion counted) are kept besides the shell: a shop that renames
// its kb.bin on each deploy (kb.3f2a.bin) does not fill the disk. The oldest goes first.
var MAX_BINS = 3;
// The files the chat page needs to start, relative to this worker's folder (kb.more.bin: the
// companion of a knowledge base built with `kefu build --split`; absent otherwise).
var SHELL = ['chat.html', 'chat.css', 'kefu.js', 'kefu.css', 'kefu-widget.js', 'kefu-widget_bg.wasm',
  'avatar.svg', 'kb.bin', 'kb.more.bin'];

function scope() {
  return self.registration.scope;
}

/** The request's path inside the scope, or null when it is not one of the widget's files. */
function widgetFile(request) {
  if (request.method !== 'GET') return null;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.href.indexOf(scope()) !== 0) return null;
  var path = url.pathname.slice(new URL(scope()).pathname.length);
  if (path === '' || path === 'index.html' || SHELL.indexOf(path) >= 0 || /\.bin$/.test(path)) return path;
  return null;
}

self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    // One missing file (a build without the demo page, another kb name) must not stop the rest.
    return Promise.all(SHELL.map(function (file) {
      return cache.add(new Request(new URL(file, scope()).href, { cache: 'no-cache' })).catch(function () {});
    }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name === UNVERSIONED || (name.indexOf(PREFIX) === 0 && name !== CACHE);
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener('fetch', function (event) {
  var path = widgetFile(event.request);
  if (path === null) return;
  event.respondWith(networkFirst(event.request));
});

function networkFirst(request) {
  return caches.open(CACHE).then(function (cache) {
    return fetch(request).then(function (response) {
      if (response.ok) {
        // Kept without the query: chat.html?lang=en and chat.html are the same file.
        var url = new URL(request.url);
        url.search = '';
        cache.put(url.href, response.clone()).then(function () {
          if (/\.bin$/.test(url.pathname)) return trimBins(cache);
        }).catch(function () {});
      }
      return response;
    }, function (failure) {
      return cache.match(request, { ignoreSearch: true }).then(function (kept) {
        if (kept) return kept;
        throw failure;
      });
    });
  });
}

/** Deletes the least recently stored knowledge bases beyond MAX_BINS (a put moves an entry
 *  to the end of the cache's list, so the list's order is the order they were last stored). */
function trimBins(cache) {
  return cache.keys().then(function (requests) {
    var bins = requests.filter(function (r) { return /\.bin$/.test(new URL(r.url).pathname); });
    return Promise.all(bins.slice(0, Math.max(0, bins.length - MAX_BINS)).map(function (r) {
      return cache.delete(r);
    }));
  });
}
