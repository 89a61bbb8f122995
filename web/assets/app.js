// nut-web's page: applies the server's events (one UPS each) to the page.
"use strict";
(function () {
  var words = { OL: "on line", OB: "on battery", LB: "low battery", FSD: "forced shutdown", stale: "no fresh data" };
  function section(key) {
    var all = document.querySelectorAll("section.ups");
    for (var i = 0; i < all.length; i++) {
      if (all[i].getAttribute("data-ups") === key) return all[i];
    }
    return null;
  }
  function apply(v) {
    var s = section(v.key);
    if (!s) { location.reload(); return; }
    s.setAttribute("data-state", v.state);
    var fields = { state: v.state, words: words[v.state] || "", status: v.status, error: v.error,
      charge: v.charge, runtime: v.runtime, load: v.load, input: v.input, output: v.output, model: v.model };
    for (var f in fields) {
      var el = s.querySelector('[data-field="' + f + '"]');
      if (el && el.textContent !== fields[f]) el.textContent = fields[f];
    }
  }
  // The plots are drawn by the server: fetched again every 5 s.
  function redraw() {
    var imgs = document.querySelectorAll("img[data-plot]"), now = Date.now();
    for (var j = 0; j < imgs.length; j++) imgs[j].src = imgs[j].getAttribute("data-plot") + "?t=" + now;
  }
  setInterval(redraw, 5000);
  var live = document.getElementById("live");
  var es = new EventSource("/events");
  es.addEventListener("ups", function (e) { apply(JSON.parse(e.data)); });
  es.onopen = function () { live.textContent = "live"; live.className = "live on"; };
  es.onerror = function () { live.textContent = "reconnecting…"; live.className = "live off"; };
})();
