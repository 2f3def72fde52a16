"""Public pages: the home page linking the areas, the chat page (/chat, embeddable with ?embed=1), the guided
service (/guide) and the portal widget script (/widget.js).

The chat page works without JavaScript (a form POST renders the conversation on the server) and is enhanced
by static/chat.js (streaming over /api/chat). The guided service is plain forms: its state travels in a
hidden field, so nothing personal is stored on the server.
"""

from __future__ import annotations

import json

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from zhengwu.gateway import explicit_label
from zhengwu.context import Caller
from zhengwu.errors import ZhengwuError
from zhengwu.web.deps import get_caller
from zhengwu.web.post_only import use_post
from zhengwu.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request):  # noqa: ANN201
    return render(request, "index.html")


def _turns(caller: Caller, conversation_id: str | None) -> list[dict]:
    if not conversation_id:
        return []
    from zhengwu.qa.store import conversation_turns
    from zhengwu.store import session_scope

    try:
        with session_scope() as s:
            return [{"id": t.id, "question": t.question, "answer": t.answer, "mode": t.mode, "no_basis": t.no_basis,
                     "citations": t.citations or []} for t in conversation_turns(s, caller, conversation_id)]
    except ZhengwuError:
        return []


def _label(request: Request) -> str:
    from zhengwu.web.templating import request_language

    return explicit_label(request_language(request))


@router.get("/chat")
def chat_page(request: Request, conversation_id: str | None = None, embed: int = 0, kb: str | None = None,
              caller: Caller = Depends(get_caller)):  # noqa: ANN201
    return render(request, "chat.html", turns=_turns(caller, conversation_id), conversation_id=conversation_id or "",
                  embed=bool(embed), kb=kb or "", ai_label=_label(request), error=None)


@router.post("/chat")
def chat_post(request: Request, question: str = Form(""), conversation_id: str = Form(""), kb: str = Form(""),
              embed: int = Form(0), caller: Caller = Depends(get_caller)):  # noqa: ANN201
    """No-JavaScript path: answer, then render the whole conversation."""
    from zhengwu.qa.answer import ask

    error = None
    try:
        ans = ask(question, caller=caller, kb=kb or None, conversation_id=conversation_id or None)
        conversation_id = ans.conversation_id or ""
    except ZhengwuError as exc:
        error = exc
    return render(request, "chat.html", turns=_turns(caller, conversation_id), conversation_id=conversation_id,
                  embed=bool(embed), kb=kb, ai_label=_label(request), error=error,
                  status_code=200 if error is None else exc_status(error))


def exc_status(exc: ZhengwuError) -> int:
    return exc.status if 400 <= exc.status < 600 else 400


@router.get("/guide")
def guide_index(request: Request):  # noqa: ANN201
    from zhengwu.qa.guide import list_services

    return render(request, "guide.html", services=list_services(), step=None, state_json="", error=None)


@router.get("/guide/{item}")
def guide_start(request: Request, item: str):  # noqa: ANN201
    from zhengwu.qa import guide
    from zhengwu.web.templating import request_language

    if "text" in request.query_params:  # the user's own words never travel in a URL
        return use_post("/api/guide/start", '{"item": ..., "text": ...}')()
    step = guide.next_step(guide.start(item, "", request_language(request)))
    return render(request, "guide.html", services=[], step=step, state_json=json.dumps(step["state"]), error=None)


@router.post("/guide/{item}")
def guide_answer(request: Request, item: str, state: str = Form("{}"), question_id: str = Form(""),
                 value: str = Form("")):  # noqa: ANN201
    from zhengwu.qa import guide

    try:
        st = json.loads(state or "{}")
    except ValueError:
        st = {}
    st["item"] = item
    error = None
    try:
        st = guide.answer(st, question_id, value)
    except ZhengwuError as exc:
        error = exc
    step = guide.next_step(st)
    return render(request, "guide.html", services=[], step=step, state_json=json.dumps(step["state"]), error=error)


WIDGET_JS = """// zhengwu chat widget: <script src="https://YOUR-HOST/widget.js" defer></script> on any portal page.
// Adds a button that opens the public chat page (/chat?embed=1) in an iframe; nothing else is loaded.
(function () {
  var s = document.currentScript;
  var base = (s && s.src) ? s.src.replace(/\\/widget\\.js.*$/, "") : "";
  var lang = (s && s.getAttribute("data-lang")) || "zh";
  var label = lang === "en" ? "Ask a policy question" : "政策咨询";
  var btn = document.createElement("button");
  btn.type = "button";
  btn.textContent = label;
  btn.setAttribute("aria-expanded", "false");
  btn.setAttribute("aria-controls", "zw-widget-frame");
  btn.style.cssText = "position:fixed;right:16px;bottom:16px;z-index:2147483000;background:#1d4f91;color:#fff;" +
    "border:0;border-radius:24px;padding:10px 18px;font-size:16px;cursor:pointer;box-shadow:0 2px 8px rgba(0,0,0,.3)";
  var frame = document.createElement("iframe");
  frame.id = "zw-widget-frame";
  frame.title = label;
  frame.src = base + "/chat?embed=1&lang=" + encodeURIComponent(lang);
  frame.style.cssText = "position:fixed;right:16px;bottom:70px;width:min(420px,calc(100vw - 32px));" +
    "height:min(640px,calc(100vh - 100px));border:1px solid #d9dde3;border-radius:8px;background:#fff;" +
    "z-index:2147483000;display:none;box-shadow:0 4px 16px rgba(0,0,0,.25)";
  btn.addEventListener("click", function () {
    var open = frame.style.display === "none";
    frame.style.display = open ? "block" : "none";
    btn.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) frame.focus();
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && frame.style.display !== "none") { frame.style.display = "none";
      btn.setAttribute("aria-expanded", "false"); btn.focus(); }
  });
  document.body.appendChild(frame);
  document.body.appendChild(btn);
})();
"""


@router.get("/widget.js")
def widget_js() -> Response:
    return Response(WIDGET_JS, media_type="application/javascript; charset=utf-8",
                    headers={"Cache-Control": "public, max-age=3600"})
