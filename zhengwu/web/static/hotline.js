// Agent workspace (/hotline): show where each ticket field came from. Focusing a field marks its source span in
// the transcript; clicking (or pressing Enter on) a marked span moves to its field. Static file: the CSP forbids
// inline scripts. Works on content swapped in by htmx because the listeners sit on the document.
(function () {
  function mark(field) {
    document.querySelectorAll(".ws-span[data-field]").forEach(function (m) {
      m.classList.toggle("ws-active", m.dataset.field === field);
    });
  }
  document.addEventListener("focusin", function (e) {
    var f = e.target.closest && e.target.closest("[data-span-field]");
    if (f) mark(f.dataset.spanField);
  });
  function jump(e) {
    var m = e.target.closest && e.target.closest(".ws-span[data-field]");
    if (!m) return;
    var input = document.querySelector('[data-span-field="' + m.dataset.field + '"]');
    if (input) { input.focus(); mark(m.dataset.field); }
  }
  document.addEventListener("click", jump);
  document.addEventListener("keydown", function (e) { if (e.key === "Enter") jump(e); });
  // the spans are reachable by keyboard once they exist
  document.addEventListener("htmx:afterSwap", function () {
    document.querySelectorAll(".ws-span[data-field]").forEach(function (m) { m.tabIndex = 0; });
  });
})();
