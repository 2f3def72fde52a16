// The policy-matching page: htmx swaps only the result area; a 400 (a bad answer, an impossible value) carries a
// page with the bilingual message, so it is swapped in like a 200. After each round focus moves to the new
// question (or the error, or the results) so that keyboard and screen-reader users land where the page changed.
(function () {
  document.addEventListener("htmx:beforeSwap", function (e) {
    if (e.detail.target && e.detail.target.id === "match-area" && e.detail.xhr.status === 400) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });
  document.addEventListener("htmx:afterSettle", function (e) {
    var area = document.getElementById("match-area");
    if (!area || !area.contains(e.detail.elt) && e.detail.elt !== area) return;
    var target = area.querySelector("[data-focus]");
    if (target) target.focus();
  });
})();
