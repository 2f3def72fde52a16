// Shared page behaviour: large-font mode (persisted), nothing else global.
(function () {
  var KEY = "zw-large-font";
  function apply(on) {
    document.documentElement.classList.toggle("large-font", on);
    var b = document.getElementById("large-font-toggle");
    if (b) b.setAttribute("aria-pressed", on ? "true" : "false");
  }
  document.addEventListener("DOMContentLoaded", function () {
    apply(localStorage.getItem(KEY) === "1");
    var b = document.getElementById("large-font-toggle");
    if (b) b.addEventListener("click", function () {
      var on = !document.documentElement.classList.contains("large-font");
      localStorage.setItem(KEY, on ? "1" : "0");
      apply(on);
    });
  });
})();

// Tabs of the office workspace, the print button of a guide's checklist (no inline scripts: the CSP forbids them).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-office-tab]").forEach(function (tab) {
    tab.addEventListener("click", function () {
      document.querySelectorAll("[data-office-tab]").forEach(function (t) {
        var on = t === tab;
        t.setAttribute("aria-selected", on ? "true" : "false");
        document.getElementById("panel-" + t.dataset.officeTab).hidden = !on;
      });
    });
  });
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
});
