"""405 answers for GET routes that used to carry a user's question in the URL.

Why: a question (often with names, ID numbers or phone numbers in it) in a query string ends up in proxy,
access and browser-history logs. Those routes now take POST with a JSON body; the old GET form answers
405 with a bilingual pointer to the POST route instead of silently working.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi.responses import JSONResponse


def use_post(post_route: str, fields: str) -> Callable[[], JSONResponse]:
    """An endpoint that refuses the GET form and names the POST route and JSON fields to use instead."""

    def refuse() -> JSONResponse:
        return JSONResponse(status_code=405, headers={"Allow": "POST"}, content={"error": {
            "code": "use_post",
            "message_zh": f"问题不能放在网址里（会被代理和日志记录）：请改用 POST {post_route}，以 JSON 提交 {fields}。",
            "message_en": f"questions may not travel in the URL (proxies and logs keep it): use POST {post_route} "
                          f"with a JSON body {fields}."}})

    refuse.__doc__ = f"GET is refused (405): use POST {post_route}."
    return refuse
