// Public chat page: streams answers from POST /api/chat (server-sent events), shows the sources beside each
// answer, keeps the conversation id, and sends thumbs up/down to /api/feedback. Without JavaScript the form
// posts to /chat and the server renders the same conversation.
(function () {
  "use strict";
  var form = document.getElementById("chat-form");
  if (!form) return;
  var log = document.getElementById("chat-log");
  var input = document.getElementById("question");
  var convInput = document.getElementById("conversation_id");
  var kbInput = document.getElementById("kb");
  var errBox = document.getElementById("chat-error");
  var btn = document.getElementById("ask-btn");
  var tpl = document.getElementById("turn-template");
  var T = JSON.parse(document.getElementById("chat-i18n").textContent);
  var lang = document.documentElement.lang === "en" ? "en" : null;

  function showError(msg) { errBox.textContent = msg; errBox.hidden = !msg; }

  function renderSources(aside, cites) {
    aside.textContent = "";
    if (!cites || !cites.length) {
      var p = document.createElement("p"); p.className = "muted"; p.textContent = T.none; aside.appendChild(p); return;
    }
    var h = document.createElement("h2"); h.className = "sources-h"; h.textContent = T.sources; aside.appendChild(h);
    var ol = document.createElement("ol"); ol.className = "sources";
    cites.forEach(function (c) {
      var li = document.createElement("li"); li.value = c.n;
      var t = document.createElement("span"); t.className = "src-title"; t.textContent = c.title; li.appendChild(t);
      if (c.doc_number) { var n = document.createElement("span"); n.className = "src-num"; n.textContent = " " + c.doc_number; li.appendChild(n); }
      if (c.heading_path) { li.appendChild(document.createElement("br")); var hp = document.createElement("span"); hp.className = "muted"; hp.textContent = c.heading_path; li.appendChild(hp); }
      if (c.validity !== "effective" || c.current === false) {
        var v = document.createElement("span"); v.className = "validity-bad";
        v.textContent = " " + (c.validity === "repealed" ? T.repealed : T.expired); li.appendChild(v);
      }
      ol.appendChild(li);
    });
    aside.appendChild(ol);
  }

  function renderRelated(aside, related) {
    // "no basis": nearby documents offered for the reader's own look, titles only, never as cited sources
    if (!related || !related.length) return;
    var h = document.createElement("h2"); h.className = "sources-h"; h.textContent = T.see_also; aside.appendChild(h);
    var ul = document.createElement("ul"); ul.className = "related";
    related.forEach(function (r) { var li = document.createElement("li"); li.textContent = r.title; ul.appendChild(li); });
    aside.appendChild(ul);
  }

  function wireFeedback(scope) {
    scope.querySelectorAll("button.fb").forEach(function (b) {
      if (b.dataset.wired) return;
      b.dataset.wired = "1";
      b.addEventListener("click", function () {
        var turn = b.dataset.turn || (b.closest(".chat-turn") || {}).dataset.turnId;
        if (!turn) return;
        fetch("/api/feedback", {method: "POST", headers: {"Content-Type": "application/json"},
          body: JSON.stringify({turn_id: parseInt(turn, 10), rating: parseInt(b.dataset.rating, 10)})})
          .then(function (r) {
            if (!r.ok) throw new Error();
            b.parentNode.querySelectorAll("button.fb").forEach(function (o) { o.setAttribute("aria-pressed", o === b ? "true" : "false"); });
            b.parentNode.setAttribute("data-sent", "1");
            b.parentNode.setAttribute("title", T.thanks);
          }).catch(function () { showError(T.error); });
      });
    });
  }
  wireFeedback(document);

  function parseEvents(buffer, onEvent) {
    var parts = buffer.split("\n\n");
    var rest = parts.pop();
    parts.forEach(function (block) {
      var ev = "message", data = "";
      block.split("\n").forEach(function (line) {
        if (line.indexOf("event:") === 0) ev = line.slice(6).trim();
        else if (line.indexOf("data:") === 0) data += line.slice(5).trim();
      });
      if (data) { try { onEvent(ev, JSON.parse(data)); } catch (e) { /* ignore a broken event */ } }
    });
    return rest;
  }

  function ask(question) {
    showError("");
    var node = tpl.content.firstElementChild.cloneNode(true);
    node.querySelector("[data-q]").textContent = question;
    var text = node.querySelector(".chat-a-text");
    var aside = node.querySelector(".chat-sources");
    var waiting = node.querySelector("[data-waiting]");
    function stopWaiting() { if (waiting) { waiting.remove(); waiting = null; } }
    log.appendChild(node);
    btn.disabled = true;
    var finished = false;
    var body = {question: question, conversation_id: convInput.value || null, kb: kbInput.value || null};
    fetch("/api/chat", {method: "POST", headers: {"Content-Type": "application/json", "Accept": "text/event-stream"},
      body: JSON.stringify(body)})
      .then(function (resp) {
        if (!resp.ok || !resp.body) {
          return resp.json().then(function (j) { throw new Error((j.error && (lang ? j.error.message_en : j.error.message_zh)) || T.error); });
        }
        var reader = resp.body.getReader();
        var dec = new TextDecoder();
        var buf = "";
        function pump() {
          return reader.read().then(function (r) {
            if (r.done) return;
            buf = parseEvents(buf + dec.decode(r.value, {stream: true}), function (ev, d) {
              if (ev === "meta") { if (d.conversation_id) convInput.value = d.conversation_id; }
              else if (ev === "delta") { stopWaiting(); if (d.replace) { text.textContent = ""; } text.textContent += d.text; }
              else if (ev === "withdraw") {
                text.textContent = text.textContent.replace(d.text, "");
                var w = document.createElement("p"); w.className = "muted small chat-note"; w.textContent = d.note;
                var fbw = node.querySelector(".feedback"); fbw.parentNode.insertBefore(w, fbw);
              }
              else if (ev === "done") {
                finished = true;
                stopWaiting();
                text.textContent = d.answer;
                text.removeAttribute("aria-busy");
                node.dataset.turnId = d.turn_id;
                node.querySelector("[data-ai-label]").textContent = d.ai_label;
                renderSources(aside, d.citations);
                renderRelated(aside, d.related);
                (d.notes || []).forEach(function (n) {
                  var p = document.createElement("p"); p.className = "muted small chat-note";
                  if (d.guide && n.indexOf(d.guide.url) !== -1) {
                    var a = document.createElement("a"); a.href = d.guide.url; a.textContent = d.guide.name;
                    p.textContent = n.replace(d.guide.url, ""); p.appendChild(a);
                  } else { p.textContent = n; }
                  var fbd = node.querySelector(".feedback"); fbd.parentNode.insertBefore(p, fbd);
                });
                var fb = node.querySelector(".feedback"); fb.hidden = false; wireFeedback(node);
                if (d.conversation_id) convInput.value = d.conversation_id;
              } else if (ev === "error") {
                finished = true;
                node.remove();
                showError(lang ? d.message_en : d.message_zh);
              }
            });
            return pump();
          });
        }
        return pump();
      })
      .then(function () { if (!finished) { stopWaiting(); text.removeAttribute("aria-busy"); showError(T.interrupted); } })
      .catch(function (e) { node.remove(); showError(e.message || T.error); })
      .then(function () { btn.disabled = false; input.focus(); });
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var q = input.value.trim();
    if (!q) { showError(lang ? "Please type a question." : "请输入问题。"); input.focus(); return; }
    input.value = "";
    ask(q);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit")); }
  });
})();
