"""JSON API of policy matching (issue 16): match a situation, read and manage the department's catalogue.

POST /api/match is open to residents (the public department's catalogue for anonymous callers); the catalogue's
import, export and publish are for administrators of the department (zhengwu.match.store checks the role,
so the CLI and the API refuse alike). The public page (match-web) builds on the same service functions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from fastapi import APIRouter, Body, Depends, Query, Response
from pydantic import BaseModel, Field

from zhengwu.context import Caller
from zhengwu.errors import Forbidden, ZhengwuError
from zhengwu.web.deps import get_caller

router = APIRouter(tags=["match"])


class MatchIn(BaseModel):
    text: str | None = Field(None, description="情况描述（2000 字以内）/ the situation in words (at most 2000 characters)")
    facts: dict[str, Any] | None = Field(None, description="表单事实（事实项: 值）/ form facts (fact: value)")
    answers: dict[str, Any] | None = Field(None, description="对追问的回答（事实项: 值）/ answers to the follow-up questions")
    target: Literal["person", "enterprise"] | None = Field(None, description="只看个人或企业政策 / person or enterprise schemes only")
    today: dt.date | None = Field(None, description="判断年龄和有效期的日期（默认今天）/ date for ages and validity (default: today)")


@router.post("/api/match")
def api_match(body: MatchIn, caller: Caller = Depends(get_caller)) -> dict:
    """政策匹配：符合 / 可能符合（追问）/ 不符合 / 已失效，附理由、依据与审核部门（仅供参考）/ match a situation."""
    from zhengwu.match.service import match_form, match_text, result_dict

    if body.text is not None and body.text.strip():
        if body.facts:
            raise ZhengwuError("match_text_and_facts", "请只给出情况描述或表单事实之一；补充信息请放在 answers 中。",
                               "Give either text or facts; put further facts in answers.")
        result = match_text(caller, body.text, today=body.today, answers=body.answers, target=body.target)
    elif body.facts is not None or body.answers:
        result = match_form(caller, body.facts or {}, today=body.today, answers=body.answers, target=body.target)
    else:
        raise ZhengwuError("match_empty_text", "请描述您的情况（例如年龄、户籍、就业、残疾等）。",
                           "Please describe your situation (age, hukou, work, disability …).")
    return result_dict(result)


@router.get("/api/match/catalog")
def api_catalog(caller: Caller = Depends(get_caller)) -> dict:
    """本部门已发布的政策目录 / the published catalogue of your department."""
    from zhengwu.match.store import published_catalog

    return published_catalog(caller).model_dump(mode="json", by_alias=True, exclude_defaults=True)


@router.post("/api/match/catalog/import")
def api_catalog_import(catalog: dict = Body(..., description="目录（与 YAML/JSON 文件相同的结构）/ the catalogue object"),
                       publish: bool = Query(False, description="导入即发布 / publish at once"),
                       caller: Caller = Depends(get_caller)) -> dict:
    """导入政策目录（仅管理员；全部校验后一次写入）/ import a catalogue (administrators; all or nothing)."""
    from zhengwu.match.catalog import validate_catalog
    from zhengwu.match.store import import_catalog

    if not caller.is_admin:   # refuse before reading the entries: a non-administrator learns nothing of them
        raise Forbidden("admin_required", "只有管理员可以导入政策目录。", "Only an administrator may import the catalogue.")
    rep = import_catalog(caller, validate_catalog(catalog), publish=publish)
    return {"created": rep.created, "updated": rep.updated, "published": rep.published, "schemes": rep.schemes,
            "withdrawn": rep.withdrawn}


@router.get("/api/match/catalog/export")
def api_catalog_export(fmt: Literal["yaml", "json"] = Query("json", alias="format"),
                       status: Literal["draft", "published"] | None = Query(None),
                       caller: Caller = Depends(get_caller)) -> Response:
    """导出本部门政策目录，含草稿（仅管理员）/ export the department's catalogue, drafts included (administrators)."""
    from zhengwu.match.catalog import dump_catalog
    from zhengwu.match.store import export_catalog

    text = dump_catalog(export_catalog(caller, status=status), fmt)
    media = "application/json" if fmt == "json" else "application/yaml"
    return Response(text, media_type=f"{media}; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="catalog.{fmt}"'})


@router.post("/api/match/catalog/{scheme_id}/publish")
def api_catalog_publish(scheme_id: str, caller: Caller = Depends(get_caller)) -> dict:
    """发布一个目录条目（仅管理员）/ publish a catalogue entry (administrators)."""
    from zhengwu.match.store import publish

    return publish(caller, scheme_id)
