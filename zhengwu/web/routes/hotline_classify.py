"""REST endpoints of ticket classification and dispatch: suggestions with the responsible department, agents'
corrections, the department's tree and its duty list (权责清单).

Why staff only: suggestions reveal how a department routes its tickets; citizens (and anonymous callers) ask
through the Q&A pages, not here. Editing the duty list is for administrators (checked in zhengwu.hotline.dispatch).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from zhengwu.context import Caller
from zhengwu.errors import Forbidden
from zhengwu.web.deps import get_caller

router = APIRouter()

STAFF = ("agent", "officer", "manager", "admin")


def _staff(caller: Caller = Depends(get_caller)) -> Caller:
    if caller.role not in STAFF:
        raise Forbidden("hotline_staff_only", "仅热线工作人员可用。", "For hotline staff only.")
    return caller


class TicketIn(BaseModel):
    title: str = Field("", max_length=200, description="工单标题 / ticket title")
    text: str = Field("", max_length=20000, description="工单正文（不含来电人联系方式）/ ticket text, without contact fields")
    area: str | None = Field(None, max_length=100, description="区县，用于派单 / district, for dispatch")
    k: int = Field(3, ge=1, le=10, description="候选数 / number of suggestions")


class CorrectionIn(BaseModel):
    title: str = Field("", max_length=200)
    text: str = Field("", max_length=20000)
    path: list[str] = Field(..., min_length=1, max_length=3, description="坐席选定的分类路径 / the chosen category path")


class DutyIn(BaseModel):
    category: str = Field(..., max_length=200, description="分类路径前缀“一级/二级/三级” / category path prefix")
    responsible: str = Field(..., max_length=200, description="责任单位，可含 {area} / department, may contain {area}")
    area: str = Field("", max_length=100, description="区县（空 = 全部）/ district (empty = any)")
    note: str = Field("", max_length=2000)


@router.post("/api/hotline/classify")
def api_classify(body: TicketIn, caller: Caller = Depends(_staff)) -> dict:
    """工单分类建议（前 k 个及置信度）和责任单位 / category suggestions and the responsible department."""
    from zhengwu.errors import ZhengwuError
    from zhengwu.hotline.classify import suggest
    from zhengwu.hotline.dispatch import department_for

    if not (body.title.strip() or body.text.strip()):
        raise ZhengwuError("row_empty", "工单没有标题也没有正文。", "The ticket has neither title nor text.")
    sugg = suggest(caller, body.title, body.text, k=body.k)
    dept = department_for(caller, sugg[0].path, body.area) if sugg else None
    return {"suggestions": [s.to_dict() for s in sugg], "department": dept}


@router.post("/api/hotline/classify/corrections")
def api_correction(body: CorrectionIn, caller: Caller = Depends(_staff)) -> dict:
    """记录坐席的分类纠正（下次训练时采用）/ record an agent's correction (used at the next training)."""
    from zhengwu.hotline.classify import record_correction

    record_correction(caller, body.title, body.text, body.path)
    return {"ok": True}


@router.get("/api/hotline/taxonomy")
def api_taxonomy(caller: Caller = Depends(_staff)) -> dict:
    """本部门的分类表 / the department's category tree."""
    from zhengwu.hotline.classify import taxonomy_for

    tree = taxonomy_for(caller)
    return {"source": tree.source, "categories": tree.to_rows()}


@router.get("/api/hotline/duty")
def api_duty(caller: Caller = Depends(_staff)) -> list[dict]:
    """权责清单（本部门条目在前）/ the duty list, the department's own lines first."""
    from zhengwu.hotline.dispatch import lines

    return [line.to_dict() for line in lines(caller)]


@router.post("/api/hotline/duty")
def api_duty_set(body: DutyIn, caller: Caller = Depends(_staff)) -> dict:
    """新增或修改一条权责清单（管理员）/ add or change a duty-list line (administrators)."""
    from zhengwu.hotline.dispatch import set_line

    return set_line(caller, body.category, body.responsible, body.area, body.note).to_dict()
