"""Ticket service: create, update, get, list, move through the closed loop, merge and unmerge — every function
scoped by the caller's department and role.

Who sees what (PIPL; GB/T 33358 §5: a caller's confidentiality wish is honoured):
- the receiving centre's agents and administrators (`ticket.department`) read and write everything;
- the unit the ticket is dispatched to (`responsible_department`) reads it and moves it through 办理/答复; it sees
  the caller's name and contact only when the caller did not ask for confidentiality;
- everyone else — other departments, citizens, managers and auditors looking at statistics — gets 404 or masked
  personal data. Masking also covers the caller's name and number inside the free text.
`model_view()` is what may be handed to `govern`: no name, no contact, and the text masked.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from zhengwu.context import Caller
from zhengwu.errors import Forbidden, NotFound, ZhengwuError
from zhengwu.hotline import classify, dispatch, duplicates, workflow
from zhengwu.hotline.models import CHANNELS, REQUEST_TYPES, URGENCIES, Ticket, TicketEvent, TicketLink
from zhengwu.store import session_scope

READ_ROLES = ("agent", "officer", "manager", "admin", "auditor")
WRITE_ROLES = ("agent", "officer", "admin")
CONTACT_ROLES = ("agent", "admin")  # of the receiving centre
HANDLER_ROLES = ("agent", "officer", "admin")  # of the unit the ticket is dispatched to

TEXT_FIELDS = {"title": 500, "summary": 2000, "appeal": 2000, "text": 20000, "location_text": 500, "province": 32,
               "city": 32, "district": 32, "street": 64, "community": 64, "detail": 500, "caller_name": 128,
               "contact": 128, "event_time": 64, "category_code": 32, "responsible_department": 64, "reply": 20000,
               "external_id": 128, "channel": 16}
EDITABLE = set(TEXT_FIELDS) - {"external_id", "reply"} | {"confidential", "request_type", "urgency", "category_path",
                                                          "likes"}
PERSONAL = ("caller_name", "contact")

_PHONE = re.compile(r"(?<![0-9])(1[3-9][0-9])[- ]?([0-9]{4})[- ]?([0-9]{4})(?![0-9])|(?<![0-9])(0[0-9]{2,3}-?)"
                    r"([0-9]{3,4})([0-9]{4})(?![0-9])")
_ID_NUMBER = re.compile(r"(?<![0-9])([1-9][0-9]{5})([0-9]{8})([0-9]{3}[0-9Xx])(?![0-9])")  # 居民身份证号


def _bad(field: str, zh: str, en: str) -> ZhengwuError:
    return ZhengwuError("bad_ticket_field", f"字段 {field}：{zh}", f"Field {field}: {en}", field=field)


def mask_name(name: str) -> str:
    return "" if not name else name[0] + "*" * max(1, len(name) - 1)


def mask_contact(contact: str) -> str:
    """138****5678 / 0731****4567: enough to recognise a number one already knows, not to call it."""
    digits = re.sub(r"\D", "", contact)
    if len(digits) >= 8:
        return digits[:3] + "****" + digits[-4:]
    return "*" * len(contact)


def mask_text(text: str, name: str = "", contact: str = "") -> str:
    """The free text with the caller's name, every phone number and ID number masked (callers say them)."""
    if not text:
        return text
    out = _ID_NUMBER.sub(lambda m: m.group(1) + "********" + m.group(3), text)
    out = _PHONE.sub(lambda m: (m.group(1) + "****" + m.group(3)) if m.group(1) else
                     (m.group(4) + "****" + m.group(6)), out)
    if contact:
        out = out.replace(contact, mask_contact(contact))
    if name and len(name) >= 2:
        base = name[:-2] if name.endswith(("先生", "女士")) else name
        if len(base) >= 2:
            out = out.replace(base, mask_name(base))
    return out


# --- access ------------------------------------------------------------------------------------------------

def _readable(t: Ticket, caller: Caller) -> bool:
    if caller.role not in READ_ROLES:
        return False
    return caller.department in (t.department, t.responsible_department)


def sees_personal(t: Ticket, caller: Caller) -> bool:
    if caller.department == t.department and caller.role in CONTACT_ROLES:
        return True
    return (not t.confidential and caller.department == t.responsible_department
            and caller.department != t.department and caller.role in HANDLER_ROLES)


def _load(session: Session, caller: Caller, ticket_id: int, *, write: bool = False) -> Ticket:
    if caller.role == "citizen":
        raise Forbidden("hotline_forbidden", "市民账户不能查看或处理工单", "Citizen accounts cannot read or handle tickets")
    t = session.get(Ticket, ticket_id) if isinstance(ticket_id, int) and 0 < ticket_id < 2**62 else None
    if t is None or not _readable(t, caller):  # another department's ticket does not exist for this caller
        raise NotFound("ticket_not_found", f"工单不存在：{ticket_id}", f"No such ticket: {ticket_id}")
    if write and caller.role not in WRITE_ROLES:
        raise Forbidden("hotline_read_only", "此角色只能查看工单", "This role may only read tickets")
    return t


def check_writer(caller: Caller) -> None:
    if caller.role not in WRITE_ROLES:
        raise Forbidden("hotline_forbidden", "此角色不能登记或修改工单", "This role cannot create or change tickets")


# --- views -------------------------------------------------------------------------------------------------

def ticket_dict(t: Ticket, caller: Caller, *, now: datetime | None = None) -> dict:
    personal = sees_personal(t, caller)
    d = {c: getattr(t, c) for c in ("id", "department", "external_id", "channel", "event_time", "confidential",
                                    "location_text", "province", "city", "district", "street", "community",
                                    "detail", "request_type", "category_code", "title", "summary", "appeal", "text",
                                    "urgency", "responsible_department", "status", "reply", "satisfaction", "likes",
                                    "duplicate_of", "created_by")}
    d["category_path"] = list(t.category_path or [])
    for c in ("received_at", "deadline", "created_at", "updated_at"):
        v = getattr(t, c)
        d[c] = _aware(v).isoformat() if v else None
    d["caller_name"] = t.caller_name if personal else mask_name(t.caller_name)
    d["contact"] = t.contact if personal else mask_contact(t.contact)
    d["personal_data_masked"] = not personal and bool(t.caller_name or t.contact)
    if not personal:
        for c in ("text", "summary", "appeal", "title", "reply"):
            d[c] = mask_text(d[c], t.caller_name, t.contact)
    d.update(workflow.timing(t.status, _aware(t.deadline) if t.deadline else None, now))
    d["next_statuses"] = list(workflow.TRANSITIONS.get(t.status, ()))
    return d


def model_view(ticket: dict) -> dict:
    """A ticket as it may be given to a model through `govern`: no caller name or contact at all, free text with
    phone numbers and the name masked. (The door masks PII too; this keeps the contact fields out entirely.)"""
    name, contact = ticket.get("caller_name") or "", ticket.get("contact") or ""
    out = {k: v for k, v in ticket.items() if k not in PERSONAL}
    for c in ("text", "summary", "appeal", "title", "reply"):
        if isinstance(out.get(c), str):
            out[c] = mask_text(out[c], name, contact)
    return out


def _aware(v: datetime) -> datetime:
    """Stored times are UTC; SQLite gives them back without their zone."""
    return v.astimezone(timezone.utc) if v.tzinfo else v.replace(tzinfo=timezone.utc)


# --- validation --------------------------------------------------------------------------------------------

def _parse_time(value: object, field: str) -> datetime:
    """A time from input, stored as UTC; a time without zone (a spreadsheet cell, "2026-11-29 09:30") is
    Beijing time."""
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=workflow.CHINA)).astimezone(timezone.utc)
    if isinstance(value, str) and value.strip():
        s = value.strip().replace("/", "-")
        for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
            try:
                return datetime.strptime(s, fmt).replace(tzinfo=workflow.CHINA).astimezone(timezone.utc)
            except ValueError:
                pass
        try:
            return _parse_time(datetime.fromisoformat(s), field)
        except ValueError:
            pass
    raise _bad(field, f"时间无法识别：{str(value)[:40]}（例：2026-11-29 09:30）",
               f"unreadable time: {str(value)[:40]} (e.g. 2026-11-29 09:30)")


def clean(data: dict, *, partial: bool = False) -> dict:
    """Validated ticket values from user input (unknown keys refused: a typo must not be silently dropped)."""
    if not isinstance(data, dict):
        raise ZhengwuError("bad_ticket", "工单数据应为对象", "Ticket data must be an object")
    allowed = EDITABLE | ({"received_at", "external_id"} if not partial else set())
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ZhengwuError("unknown_ticket_fields", f"未知字段：{', '.join(unknown)}",
                           f"Unknown fields: {', '.join(unknown)}", fields=",".join(unknown))
    out: dict = {}
    for k, v in data.items():
        if v is None:
            continue
        if k in TEXT_FIELDS:
            if not isinstance(v, (str, int)) or isinstance(v, bool):
                raise _bad(k, "应为文字", "must be text")
            v = str(v).strip()
            if len(v) > TEXT_FIELDS[k]:
                raise _bad(k, f"超过 {TEXT_FIELDS[k]} 字", f"longer than {TEXT_FIELDS[k]} characters")
        out[k] = v
    if "request_type" in out and out["request_type"] not in REQUEST_TYPES:
        raise _bad("request_type", f"应为 {'、'.join(REQUEST_TYPES)} 之一", f"must be one of {', '.join(REQUEST_TYPES)}")
    if "urgency" in out and out["urgency"] not in URGENCIES:
        raise _bad("urgency", f"应为 {'、'.join(URGENCIES)} 之一", f"must be one of {', '.join(URGENCIES)}")
    if "channel" in out and out["channel"] not in CHANNELS:
        raise _bad("channel", f"应为 {'、'.join(CHANNELS)} 之一", f"must be one of {', '.join(CHANNELS)}")
    if "confidential" in out and not isinstance(out["confidential"], bool):
        raise _bad("confidential", "应为 true 或 false", "must be true or false")
    if "likes" in out and (not isinstance(out["likes"], int) or isinstance(out["likes"], bool) or out["likes"] < 0):
        raise _bad("likes", "应为非负整数", "must be a non-negative integer")
    if "category_path" in out and (not isinstance(out["category_path"], list) or len(out["category_path"]) > 5
                                   or not all(isinstance(x, str) and len(x) <= 64 for x in out["category_path"])):
        raise _bad("category_path", "应为最多 5 级的类别名列表", "must be a list of at most 5 category names")
    if "received_at" in out:
        out["received_at"] = _parse_time(out["received_at"], "received_at")
    if not partial and not (out.get("text") or out.get("title") or out.get("summary")):
        raise ZhengwuError("empty_ticket", "工单需要诉求内容（text、title 或 summary）",
                           "A ticket needs its content (text, title or summary)")
    return out


def _event(session: Session, t: Ticket, caller: Caller, action: str, *, from_status: str = "", note: str = "",
           changes: dict | None = None) -> None:
    session.add(TicketEvent(department=t.department, ticket_id=t.id, action=action, from_status=from_status,
                            to_status=t.status, user=caller.user, note=note[:2000], changes=changes or {}))


# --- service functions -------------------------------------------------------------------------------------

def new_tickets(session: Session, caller: Caller, rows: list[dict], *, find_duplicates: bool = True) -> list[Ticket]:
    """Store validated tickets (values from `clean`) in the caller's department, 受理 with their deadlines; one
    flush for the lot (a bulk import stores 500 at a time). Used by create and ingest."""
    now = datetime.now(timezone.utc)
    made = []
    for values in rows:
        t = Ticket(department=caller.department, created_by=caller.user, status="受理", **values)
        t.received_at = values.get("received_at") or now
        t.deadline = _aware(workflow.deadline_for(t.received_at, t.request_type or "咨询", t.urgency or "一般"))
        made.append(t)
    session.add_all(made)
    session.flush()
    for t in made:
        _event(session, t, caller, "create", note=f"channel={t.channel or ''}")
        if find_duplicates:
            duplicates.find_candidates(session, t)
    return made


def create_ticket(caller: Caller, data: dict) -> dict:
    """Register a ticket in the caller's department (受理); its deadline follows from request type and urgency."""
    check_writer(caller)
    values = clean(data)
    if values.get("category_path") and not values.get("category_code"):
        values["category_code"] = _category_code(caller, values["category_path"])
    with session_scope() as s:
        if values.get("external_id") and s.scalar(select(Ticket.id).where(
                Ticket.department == caller.department, Ticket.external_id == values["external_id"])):
            raise ZhengwuError("duplicate_external_id", f"外部编号已存在：{values['external_id']}",
                               f"External id already used: {values['external_id']}", status=409)
        t = new_tickets(s, caller, [values])[0]
        s.flush()
        out = ticket_dict(t, caller) | {"duplicate_candidates": _links(s, t, caller)}
    if not t.category_path:  # proposed, not stored: the agent confirms (PATCH category_path)
        out["suggestions"] = suggest(caller, t.title, model_view(out)["text"], t.district or t.city or None)
    return out


def get_ticket(caller: Caller, ticket_id: int) -> dict:
    """The ticket with its history, its duplicate candidates and the tickets merged into it."""
    with session_scope() as s:
        t = _load(s, caller, ticket_id)
        d = ticket_dict(t, caller)
        d["events"] = [{"action": e.action, "from_status": e.from_status, "to_status": e.to_status, "user": e.user,
                        "note": e.note if sees_personal(t, caller) else mask_text(e.note, t.caller_name, t.contact),
                        "changes": e.changes or {}, "at": _aware(e.at).isoformat() if e.at else None}
                       for e in s.scalars(select(TicketEvent).where(TicketEvent.ticket_id == t.id)
                                          .order_by(TicketEvent.id))]
        d["duplicate_candidates"] = _links(s, t, caller)
        merged = s.scalars(select(Ticket).where(Ticket.duplicate_of == t.id).order_by(Ticket.id)).all()
        d["merged"] = [ticket_dict(m, caller) for m in merged if _readable(m, caller)]
        return d


def _links(session: Session, t: Ticket, caller: Caller) -> list[dict]:
    rows = session.scalars(select(TicketLink).where(
        TicketLink.department == t.department, or_(TicketLink.ticket_id == t.id, TicketLink.other_id == t.id),
        TicketLink.state == "candidate")).all()
    out = []
    for link in rows:
        other = link.other_id if link.ticket_id == t.id else link.ticket_id
        o = session.get(Ticket, other)
        if o is not None and _readable(o, caller):
            title = o.title if sees_personal(o, caller) else mask_text(o.title, o.caller_name, o.contact)
            out.append({"ticket_id": other, "score": link.score, "reasons": link.reasons, "title": title,
                        "status": o.status, "duplicate_of": o.duplicate_of})
    return sorted(out, key=lambda x: -x["score"])


def list_tickets(caller: Caller, *, status: str | None = None, request_type: str | None = None,
                 district: str | None = None, category_code: str | None = None, q: str | None = None,
                 responsible_department: str | None = None, at_risk: bool | None = None,
                 overdue: bool | None = None, include_merged: bool = False, limit: int = 50,
                 offset: int = 0) -> dict:
    """Tickets the caller may read (their department's, and those dispatched to it), newest first."""
    if caller.role not in READ_ROLES:
        raise Forbidden("hotline_forbidden", "市民账户不能查看工单", "Citizen accounts cannot read tickets")
    if not (1 <= limit <= 500) or offset < 0:
        raise ZhengwuError("bad_page", "limit 应在 1–500，offset 不小于 0", "limit must be 1-500 and offset >= 0")
    if status is not None and status not in workflow.STATUSES:
        raise ZhengwuError("bad_status", f"状态无效：{status}", f"Invalid status: {status}")
    cond = [or_(Ticket.department == caller.department, Ticket.responsible_department == caller.department)]
    for col, val in ((Ticket.status, status), (Ticket.request_type, request_type), (Ticket.district, district),
                     (Ticket.category_code, category_code),
                     (Ticket.responsible_department, responsible_department)):
        if val:
            cond.append(col == val)
    if not include_merged:  # (not indexable on purpose: almost every row is NULL, the date index serves better)
        cond.append(func.coalesce(Ticket.duplicate_of, 0) == 0)
    if q:
        like = f"%{q[:100].replace('%', '').replace('_', '')}%"
        cond.append(or_(Ticket.title.like(like), Ticket.text.like(like), Ticket.location_text.like(like)))
    now = datetime.now(timezone.utc)
    if overdue is not None or at_risk is not None:
        cond.append(Ticket.status.not_in(workflow.CLOSED))
        cond.append(Ticket.deadline.is_not(None))
    if overdue:
        cond.append(Ticket.deadline < now)
    elif overdue is False:
        cond.append(Ticket.deadline >= now)
    if at_risk:
        # due by the end of the next working day, not yet overdue
        cond.append(Ticket.deadline >= now)
        cond.append(Ticket.deadline <= workflow.end_of_next_workday(now))
    with session_scope() as s:
        total = s.scalar(select(func.count()).select_from(Ticket).where(*cond)) or 0
        rows = s.scalars(select(Ticket).where(*cond).order_by(Ticket.received_at.desc(), Ticket.id.desc())
                         .limit(limit).offset(offset)).all()
        return {"total": total, "limit": limit, "offset": offset,
                "items": [ticket_dict(t, caller, now=now) for t in rows]}


def update_ticket(caller: Caller, ticket_id: int, data: dict) -> dict:
    """Correct fields (the agent confirms the filled form); the history records which fields changed — for the
    caller's name and contact only that they changed, never the values."""
    values = clean(data, partial=True)
    if values.get("category_path"):
        with session_scope() as s:
            t = _load(s, caller, ticket_id, write=True)
            _own(caller, t, "只有受理工单的部门能修改工单内容", "Only the receiving department may change a ticket's content")
            title, text = t.title, mask_text(t.text, t.caller_name, t.contact)
        code = _learn_category(caller, title, text, values["category_path"])
        if code and not values.get("category_code"):
            values["category_code"] = code
    with session_scope() as s:
        t = _load(s, caller, ticket_id, write=True)
        _own(caller, t, "只有受理工单的部门能修改工单内容", "Only the receiving department may change a ticket's content")
        changes = {}
        for k, v in values.items():
            old = getattr(t, k)
            if old != v:
                changes[k] = ["", ""] if k in PERSONAL else [old, v]
                setattr(t, k, v)
        if changes and ({"request_type", "urgency"} & set(changes)) and t.status not in workflow.CLOSED:
            t.deadline = _aware(workflow.deadline_for(_aware(t.received_at), t.request_type, t.urgency))
        if changes:
            _event(s, t, caller, "update", from_status=t.status, changes=changes)
        s.flush()
        return ticket_dict(t, caller)


def transition(caller: Caller, ticket_id: int, target: str, *, note: str = "", department: str | None = None,
               reply: str | None = None, satisfaction: str | None = None) -> dict:
    """Move the ticket one step through the closed loop. 派单 needs the responsible department; 答复 the reply;
    评价 the citizen's satisfaction."""
    if not isinstance(target, str):
        raise ZhengwuError("bad_status", "状态应为文字", "The status must be text")
    if note and len(note) > 2000 or reply and len(reply) > 20000:
        raise ZhengwuError("too_long", "备注或答复过长", "Note or reply too long")
    with session_scope() as s:
        t = _load(s, caller, ticket_id, write=True)
        if t.duplicate_of is not None:
            raise ZhengwuError("ticket_merged", f"工单已并入 {t.duplicate_of}，请处理主工单",
                               f"The ticket was merged into {t.duplicate_of}; handle that one", status=409)
        workflow.check_transition(t.status, target)
        owner = caller.department == t.department
        if not owner and target not in ("办理", "答复", "受理"):
            raise Forbidden("hotline_not_owner", "承办单位只能接单、答复或退单",
                            "The handling unit may only accept, reply or return a ticket")
        if target == "派单":
            dept = (department or t.responsible_department or "").strip()
            if not dept or len(dept) > 64:
                raise ZhengwuError("dispatch_needs_department", "派单需要指定承办单位（department）",
                                   "Dispatch needs the responsible department (department)")
            t.responsible_department = dept
        if target == "受理" and not owner:
            note = note or "退单"
        if target == "答复":
            if not (reply or t.reply):
                raise ZhengwuError("reply_needed", "答复需要答复内容（reply）", "A reply is needed (reply)")
            t.reply = reply or t.reply
        if target == "评价":
            if satisfaction not in ("满意", "基本满意", "不满意"):
                raise ZhengwuError("satisfaction_needed", "评价应为 满意、基本满意 或 不满意",
                                   "Satisfaction must be 满意, 基本满意 or 不满意")
            t.satisfaction = satisfaction
        before = t.status
        t.status = target
        _event(s, t, caller, "transition", from_status=before, note=note,
               changes={"responsible_department": [None, t.responsible_department]} if target == "派单" else None)
        s.flush()
        return ticket_dict(t, caller)


def merge(caller: Caller, target_id: int, source_ids: list[int], *, note: str = "") -> dict:
    """并单: the sources join the target; each keeps its caller, text and history and points at the target."""
    if not isinstance(source_ids, list) or not source_ids or len(source_ids) > 100:
        raise ZhengwuError("bad_merge", "需要 1–100 个要并入的工单编号", "Give 1-100 ticket ids to merge")
    with session_scope() as s:
        target = _load(s, caller, target_id, write=True)
        _own(caller, target)
        if target.duplicate_of is not None:
            raise ZhengwuError("ticket_merged", f"工单 {target_id} 已并入 {target.duplicate_of}",
                               f"Ticket {target_id} is itself merged into {target.duplicate_of}", status=409)
        for sid in dict.fromkeys(source_ids):
            if sid == target_id:
                raise ZhengwuError("bad_merge", "工单不能并入自己", "A ticket cannot be merged into itself")
            src = _load(s, caller, sid, write=True)
            _own(caller, src)
            if src.duplicate_of is not None and src.duplicate_of != target.id:
                raise ZhengwuError("ticket_merged", f"工单 {sid} 已并入 {src.duplicate_of}",
                                   f"Ticket {sid} is already merged into {src.duplicate_of}", status=409)
            # tickets merged into the source follow it
            for child in s.scalars(select(Ticket).where(Ticket.duplicate_of == src.id)):
                child.duplicate_of = target.id
            src.duplicate_of = target.id
            _event(s, src, caller, "merge", from_status=src.status, note=note, changes={"into": [None, target.id]})
            _event(s, target, caller, "merge", from_status=target.status, note=note, changes={"from": [None, src.id]})
            _set_link(s, target, src, "merged")
        s.flush()
    return get_ticket(caller, target_id)


def unmerge(caller: Caller, ticket_id: int, *, note: str = "") -> dict:
    """Undo a merge: the ticket stands on its own again (its link goes back to being a candidate)."""
    with session_scope() as s:
        t = _load(s, caller, ticket_id, write=True)
        _own(caller, t)
        if t.duplicate_of is None:
            raise ZhengwuError("not_merged", f"工单 {ticket_id} 没有被并单", f"Ticket {ticket_id} is not merged",
                               status=409)
        target = s.get(Ticket, t.duplicate_of)
        t.duplicate_of = None
        _event(s, t, caller, "unmerge", from_status=t.status, note=note, changes={"into": [target.id, None]})
        _event(s, target, caller, "unmerge", from_status=target.status, note=note, changes={"from": [t.id, None]})
        _set_link(s, target, t, "candidate")
        s.flush()
        return ticket_dict(t, caller)


def dismiss_candidate(caller: Caller, ticket_id: int, other_id: int) -> dict:
    """The agent says two linked tickets are not about the same event."""
    with session_scope() as s:
        t = _load(s, caller, ticket_id, write=True)
        o = _load(s, caller, other_id, write=True)
        _own(caller, t)
        _set_link(s, t, o, "dismissed")
        _event(s, t, caller, "update", from_status=t.status, note=f"not a duplicate of {other_id}")
    return get_ticket(caller, ticket_id)


def _own(caller: Caller, t: Ticket, zh: str = "只有受理工单的部门能并单",
         en: str = "Only the receiving department may merge tickets") -> None:
    if caller.department != t.department:
        raise Forbidden("hotline_not_owner", zh, en)


def _category_code(caller: Caller, path: list[str]) -> str:
    """The code of a category path in the department's taxonomy."""
    return classify.node_code(classify.taxonomy_for(caller), path)


def _learn_category(caller: Caller, title: str, text: str, path: list[str]) -> str:
    """The agent set the category: the classifier keeps it as a labelled example (a path the department's
    taxonomy does not know is refused, nothing changed) -> the category's code."""
    classify.record_correction(caller, title, text, path)
    return _category_code(caller, path)


def _set_link(session: Session, a: Ticket, b: Ticket, state: str) -> None:
    link = session.scalar(select(TicketLink).where(or_(
        (TicketLink.ticket_id == a.id) & (TicketLink.other_id == b.id),
        (TicketLink.ticket_id == b.id) & (TicketLink.other_id == a.id))))
    if link is None:  # merged without having been a candidate: the link records it all the same
        score, reasons = duplicates.similarity(a, b)
        link = TicketLink(department=a.department, ticket_id=max(a.id, b.id), other_id=min(a.id, b.id), score=score,
                          reasons=reasons)
        session.add(link)
    link.state = state


def suggest(caller: Caller, title: str, text: str, area: str | None = None) -> dict:
    """Category (top 3 with confidence) and responsible department proposed for a ticket, from the classifier and
    the 权责清单 of `zhengwu.hotline.classify` / `dispatch`; a human confirms and dispatches."""
    found = classify.suggest(caller, title, text, k=3)
    categories = [{"code": s.code, "path": list(s.path), "confidence": round(float(s.confidence), 3)} for s in found]
    department = dispatch.department_for(caller, categories[0]["path"], area) if categories else None
    return {"categories": categories, "department": department}
