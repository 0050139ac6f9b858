// storyline workbench: renders the charts a page declares, after load and after each htmx swap.
// Charts are Vega-Lite (data-vl-spec) or Vega (data-vg-spec) specs in a data attribute; they are
// parsed with Vega's AST mode and run by the expression interpreter, so no eval is needed and the
// Content-Security-Policy can forbid it. No inline script anywhere: this file is the only code.
(function () {
  "use strict";

  function renderChart(el) {
    if (el.dataset.rendered) return;
    el.dataset.rendered = "1";
    var spec;
    try {
      spec = JSON.parse(el.dataset.vlSpec || el.dataset.vgSpec);
      if (el.dataset.vlSpec) spec = vegaLite.compile(spec).spec;
    } catch (e) {
      el.textContent = "chart could not be read: " + e;
      return;
    }
    var runtime = vega.parse(spec, null, { ast: true });
    var view = new vega.View(runtime, {
      expr: vegaInterpreter,
      renderer: "svg",
      container: el,
      hover: true,
    });
    view.runAsync().then(function () {
      el.classList.add("chart-ready");
    }).catch(function (e) {
      el.textContent = "chart failed: " + e;
    });
  }

  function renderAll(root) {
    var els = (root || document).querySelectorAll("[data-vl-spec], [data-vg-spec]");
    for (var i = 0; i < els.length; i++) renderChart(els[i]);
  }

  // Buttons that copy a value (an id, a permalink) without inline handlers.
  function wireCopy(root) {
    var els = (root || document).querySelectorAll("[data-copy]");
    for (var i = 0; i < els.length; i++) {
      if (els[i].dataset.wired) continue;
      els[i].dataset.wired = "1";
      els[i].addEventListener("click", function (ev) {
        var text = ev.currentTarget.dataset.copy;
        if (navigator.clipboard) navigator.clipboard.writeText(text);
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    renderAll(document);
    wireCopy(document);
  });
  document.addEventListener("htmx:afterSettle", function (ev) {
    renderAll(ev.target);
    wireCopy(ev.target);
  });
})();
