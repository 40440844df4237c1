/* Search in the offline bundle: a Web Worker that runs in a hidden iframe.
 *
 * Chromium and Firefox refuse to start a Web Worker from a page opened from disk
 * (file://), and Material's search runs in one. Material's offline plugin fills the gap
 * with the iframe-worker polyfill from unpkg.com; the bundle may load nothing from another
 * host, so scripts/offline.py ships this small stand-in instead (only in the offline
 * build, and it does nothing outside file://). The worker script runs in a same-origin
 * about:blank iframe; its postMessage comes back to the page as a "message" event on the
 * worker object, and the page's postMessage reaches the script as a "message" event on
 * the iframe's window. Material's search worker asks for "IFrameWorker" by that name.
 */
(function () {
  "use strict";
  if (location.protocol !== "file:") return;

  function IFrameWorker(url) {
    var self = this;
    var target = document.createDocumentFragment(); // an EventTarget to dispatch on
    var queue = [];
    var ready = false;
    this.onmessage = null;
    this.onerror = null;
    this.addEventListener = target.addEventListener.bind(target);
    this.removeEventListener = target.removeEventListener.bind(target);
    this.dispatchEvent = target.dispatchEvent.bind(target);

    var frame = document.createElement("iframe");
    frame.hidden = true;
    frame.tabIndex = -1;
    frame.title = "search worker";
    frame.setAttribute("aria-hidden", "true");
    (document.body || document.documentElement).appendChild(frame);
    var win = frame.contentWindow;
    this._frame = frame;

    // The worker's postMessage: back to the page, as a worker's would be.
    win.postMessage = function (data) {
      var event = new MessageEvent("message", { data: structuredClone(data) });
      if (typeof self.onmessage === "function") self.onmessage(event);
      self.dispatchEvent(event);
    };
    win.importScripts = function () {
      throw new Error("importScripts is not available in the offline search worker");
    };
    this._deliver = function (data) {
      win.dispatchEvent(new win.MessageEvent("message", { data: structuredClone(data) }));
    };

    var script = win.document.createElement("script");
    script.src = new URL(url, location.href).href;
    script.onload = function () {
      ready = true;
      queue.splice(0).forEach(self._deliver);
    };
    script.onerror = function () {
      var event = new Event("error");
      if (typeof self.onerror === "function") self.onerror(event);
      self.dispatchEvent(event);
    };
    (win.document.head || win.document.documentElement).appendChild(script);

    this.postMessage = function (data) {
      if (ready) self._deliver(data);
      else queue.push(data);
    };
  }

  IFrameWorker.prototype.terminate = function () {
    if (this._frame && this._frame.parentNode) this._frame.parentNode.removeChild(this._frame);
  };

  window.IFrameWorker = IFrameWorker;
  window.Worker = IFrameWorker;
})();
