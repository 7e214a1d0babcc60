// borderflow: draw every chart whose figure sits in a <script type="application/json" data-chart>
// element, on load and whenever HTMX swaps new content in.
(function () {
  "use strict";
  function draw(root) {
    if (!window.Plotly) { return; }
    root.querySelectorAll("script[data-chart]").forEach(function (node) {
      var holder = node.parentElement;
      if (holder.dataset.drawn) { return; }
      var figure = JSON.parse(node.textContent);
      holder.dataset.drawn = "1";
      window.Plotly.newPlot(holder, figure.data || [], figure.layout || {},
        { responsive: true, displaylogo: false });
    });
  }
  function toggles(event) {
    var button = event.target.closest("[data-toggle]");
    if (!button) { return; }
    button.parentElement.querySelectorAll("[data-toggle]").forEach(function (b) {
      b.classList.toggle("on", b === button);
    });
  }
  window.addEventListener("load", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function () { draw(document); });
  document.addEventListener("click", toggles);
}());
