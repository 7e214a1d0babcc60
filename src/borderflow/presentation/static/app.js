// borderflow: draw every chart whose figure sits in a <script type="application/json" data-chart>
// element, on load and whenever HTMX swaps new content in. Plotly's bundle (1.5 MB gzipped)
// is loaded only when a page has a chart: its URL is this script's data-plotly attribute.
(function () {
  "use strict";
  var plotlyUrl = document.currentScript ? document.currentScript.dataset.plotly : "";
  var plotlyLoading = null;
  function draw(root) {
    if (!window.Plotly) { return; }
    root.querySelectorAll("script[data-chart]").forEach(function (node) {
      var holder = node.parentElement;
      if (holder.dataset.drawn) { return; }
      var figure = JSON.parse(node.textContent);
      holder.dataset.drawn = "1";
      // No toolbar: it covered the title; the page offers the table and downloads.
      window.Plotly.newPlot(holder, figure.data || [], figure.layout || {},
        { responsive: true, displaylogo: false, displayModeBar: false });
    });
  }
  function toggles(event) {
    var button = event.target.closest("[data-toggle]");
    if (!button) { return; }
    button.parentElement.querySelectorAll("[data-toggle]").forEach(function (b) {
      b.classList.toggle("on", b === button);
    });
  }
  // Loads Plotly once (a script element from this server, as the page's policy allows),
  // then draws; pages without a chart never fetch it. The performance mark lets the
  // first-load benchmark time the charts (benchmarks/web_first_load.py).
  function drawn(root) {
    draw(root);
    if (window.performance && performance.mark) { performance.mark("borderflow:charts-drawn"); }
  }
  function drawCharts(root) {
    if (!root.querySelector("script[data-chart]")) { return; }
    if (window.Plotly) { drawn(root); return; }
    if (!plotlyLoading) {
      plotlyLoading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = plotlyUrl;
        script.addEventListener("load", resolve);
        script.addEventListener("error", function () {
          plotlyLoading = null;
          reject(new Error("could not load " + plotlyUrl));
        });
        document.head.appendChild(script);
      });
    }
    plotlyLoading.then(function () { drawn(root); });
  }
  // A table wider than the screen scrolls inside its own box (app.css); such a box takes
  // the keyboard focus so it can be scrolled without a mouse. Checked again when the page
  // is resized, a <details> opens, or HTMX swaps content in.
  function scrollers() {
    document.querySelectorAll("table.data").forEach(function (table) {
      if (table.scrollWidth > table.clientWidth + 1) {
        if (!table.hasAttribute("tabindex")) {
          table.setAttribute("tabindex", "0");
          table.dataset.scrollFocus = "1";
        }
      } else if (table.dataset.scrollFocus) {
        table.removeAttribute("tabindex");
        delete table.dataset.scrollFocus;
      }
    });
  }
  // Back or Forward pressed before this page's scripts ran moves the address to another
  // filter of the same page without HTMX there to load it, leaving rows and menus of the
  // address left behind. The server names the query it drew (a meta tag); when the address
  // now holds another, load it, once per address so a proxy that rewrites queries cannot
  // make a loop.
  function sameQuery(a, b) {
    var x = new URLSearchParams(a), y = new URLSearchParams(b);
    x.sort(); y.sort();
    return x.toString() === y.toString();
  }
  function catchUp() {
    var drawnFor = document.querySelector("meta[name=borderflow-query]");
    if (!drawnFor) { return; }
    var key = "borderflow:caught-up:" + location.pathname + location.search;
    try {
      if (sameQuery(drawnFor.content, location.search)) {
        sessionStorage.removeItem(key);
        return;
      }
      if (sessionStorage.getItem(key)) { return; }
      sessionStorage.setItem(key, "1");
    } catch (e) { return; }
    location.reload();
  }
  catchUp();
  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); scrollers(); });
  document.addEventListener("htmx:afterSettle", function () { drawCharts(document); scrollers(); });
  document.addEventListener("toggle", scrollers, true);
  window.addEventListener("resize", scrollers);
  document.addEventListener("click", toggles);
}());
