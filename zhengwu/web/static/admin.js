// Admin console behaviour (no inline scripts: the CSP forbids them).
// Upload form: send the files to the REST endpoint (POST /api/kb/{name}/documents), say what happened in the
// live region, then reload the document list. Without JavaScript the form posts to the same endpoint.
// The script asks for wait=true: the answer is the finished ingest report (true counts), and the reload shows the
// stored documents; without it the endpoint answers 202 at once and a reload can come before the background job
// has stored anything (seen on a busy machine: the list said 暂无文档 after a successful upload).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form[data-upload]").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var out = form.querySelector(".upload-result");
      var button = form.querySelector("button[type=submit]");
      out.textContent = out.dataset.busy;
      button.disabled = true;
      var url = form.action + (form.action.indexOf("?") < 0 ? "?" : "&") + "wait=true";
      fetch(url, { method: "POST", body: new FormData(form), credentials: "same-origin" })
        .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
        .then(function (res) {
          button.disabled = false;
          if (!res.ok) {
            var e = res.body.error || {};
            out.textContent = out.dataset.fail + (document.documentElement.lang === "en" ? e.message_en : e.message_zh);
            out.className = "upload-result error";
            return;
          }
          var b = res.body;
          var failed = (b.failed || []).length;
          out.textContent = out.dataset.done.replace("{added}", b.added || 0).replace("{unchanged}", b.unchanged || 0)
            .replace("{replaced}", b.replaced || 0).replace("{failed}", failed);
          (b.failed || []).forEach(function (f) {
            var line = document.createElement("span");
            line.className = "error";
            line.textContent = " " + (document.documentElement.lang === "en" ? f.message_en : f.message_zh);
            out.appendChild(line);
          });
          out.className = "upload-result " + (failed ? "error" : "ok");
          out.dataset.finished = "1";
          if (!failed) { setTimeout(function () { window.location.reload(); }, 800); }
        })
        .catch(function () {
          button.disabled = false;
          out.textContent = out.dataset.fail;
          out.className = "upload-result error";
        });
    });
  });
});
