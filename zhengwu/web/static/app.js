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
