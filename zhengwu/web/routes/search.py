"""REST search: POST /api/search {"q": ...}, scoped by the caller's department (GET answers 405: no questions in
URLs)."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from zhengwu.context import Caller
from zhengwu.web.deps import get_caller
from zhengwu.web.post_only import use_post

router = APIRouter(tags=["search"])


class SearchRequest(BaseModel):
    q: str = Field(..., description="问题或关键词 / question or keywords (1–1000 characters)")
    kb: str | None = Field(None, description="知识库名称（默认：本部门全部）/ knowledge base (default: all)")
    k: int = Field(5, ge=1, le=100)
    mode: str = Field("hybrid", description="hybrid | lexical | dense")
    type: list[str] | None = Field(None, description="文种过滤 / document types")
    validity: list[str] | None = Field(None, description="effective | expired | repealed")


def _run(caller: Caller, req: SearchRequest) -> dict:
    from zhengwu.kb.dense import served_by
    from zhengwu.kb.search import search
    from zhengwu.store import session_scope

    with session_scope() as s:
        hits = search(s, caller, req.q, kb=req.kb, k=req.k, doc_types=req.type or None,
                      validity=req.validity or None, mode=req.mode)
        # "retrieval": what actually served the query (lexical until the collection's vectors are complete)
        return {"query": req.q.strip(), "kb": req.kb, "mode": req.mode, "retrieval": served_by(hits),
                "hits": [h.to_dict() for h in hits]}


# the GET form put the question into URLs that proxies log: refused with 405 (zhengwu.web.post_only)
router.add_api_route("/api/search", use_post("/api/search", '{"q": ...}'), methods=["GET"], include_in_schema=False)


@router.post("/api/search")
def search_post(body: SearchRequest, caller: Caller = Depends(get_caller)) -> dict:
    """检索 / search (JSON body)."""
    return _run(caller, body)
