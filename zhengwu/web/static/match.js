// The policy-matching page: htmx swaps only the result area; a 4xx page (a bad answer, an impossible value, no
// catalogue in the department) carries the bilingual message, so it is swapped in like a 200 (a JSON refusal,
// such as the cross-site check's, is not a page and is left alone). After each round focus moves to the new
// question (or the error, or the results) so that keyboard and screen-reader users land where the page changed.
(function () {
  document.addEventListener("htmx:beforeSwap", function (e) {
    var xhr = e.detail.xhr;
    if (e.detail.target && e.detail.target.id === "match-area" && xhr.status >= 400 && xhr.status < 500 &&
        (xhr.getResponseHeader("Content-Type") || "").indexOf("text/html") === 0) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });
  function failed(e) {  // a server error or a lost connection: say so where the answer would have been
    var area = document.getElementById("match-area");
    if (!area || e.detail.target !== area) return;
    var p = document.createElement("p");
    p.className = "error card";
    p.setAttribute("role", "alert");
    p.textContent = area.getAttribute("data-fail");
    area.replaceChildren(p);
  }
  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:sendError", failed);
  document.addEventListener("htmx:afterSettle", function (e) {
    var area = document.getElementById("match-area");
    if (!area || !area.contains(e.detail.elt) && e.detail.elt !== area) return;
    var target = area.querySelector("[data-focus]");
    if (target) target.focus();
  });
})();
