"""Guided service (导办): a service item defined as data drives a flow that asks only what is missing.

Why data, not code: a service guide (办事指南) changes with the department's rules; the item itself
(services.jsonl: the official guide, verbatim) and its flow (service_flows.json: which question to ask,
which material applies when) are both data an administrator can review. The flow state is a small dict
the client sends back with each answer (stateless server; nothing personal is stored). Answers already
given in the user's own words ("我是本市户籍，孩子要办社保卡") are recognised and not asked again.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from zhengwu.errors import NotFound, ZhengwuError

DATA = Path(__file__).parent / "data"


@lru_cache(maxsize=1)
def _records() -> dict[str, dict]:
    out = {}
    with (DATA / "services.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                r = json.loads(line)
                out[r["id"]] = r
    return out


@lru_cache(maxsize=1)
def _flows() -> dict[str, dict]:
    data = json.loads((DATA / "service_flows.json").read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def list_services() -> list[dict]:
    recs = _records()
    return [{"id": k, "name": f["name"], "name_en": f.get("name_en", ""), "region": recs[k].get("region", ""),
             "source_url": recs[k].get("source_url"), "official_name": recs[k].get("item_name", "")}
            for k, f in _flows().items() if k in recs]


def get_service(item: str) -> tuple[dict, dict]:
    recs, flows = _records(), _flows()
    if item not in recs or item not in flows:
        raise NotFound("service_not_found", f"找不到办事事项：{item}", f"Service item not found: {item}")
    return recs[item], flows[item]


def find_service(text: str) -> str | None:
    """The service item whose keywords appear in `text` (longest keyword wins)."""
    best, best_len = None, 0
    low = (text or "").lower()
    for k, f in _flows().items():
        for kw in f.get("keywords", []):
            if kw.lower() in low and len(kw) > best_len:
                best, best_len = k, len(kw)
    return best


def _matches(cond: dict, answers: dict) -> bool:
    for qid, want in cond.items():
        have = answers.get(qid)
        if isinstance(want, list):
            if have not in want:
                return False
        elif have != want:
            return False
    return True


def _applies(entry: dict, answers: dict) -> bool:
    if "when" in entry and not _matches(entry["when"], answers):
        return False
    if "when_any" in entry and not any(_matches(c, answers) for c in entry["when_any"]):
        return False
    return True


def _relevant(q: dict, answers: dict) -> bool:
    return "ask_if" not in q or _matches(q["ask_if"], answers)


def prefill(flow: dict, text: str) -> dict:
    """Answers recognised in the user's own words (option patterns)."""
    answers: dict = {}
    for q in flow["questions"]:
        for opt in q["options"]:
            if any(p in (text or "") for p in opt.get("patterns", [])):
                answers[q["id"]] = opt["value"]
                break
    return answers


def start(item: str, text: str | None = None, lang: str = "zh") -> dict:
    _, flow = get_service(item)
    return {"item": item, "answers": prefill(flow, text or ""), "lang": lang}


def answer(state: dict, question_id: str, value: str) -> dict:
    """Record one answer (an option value, its label, or words matching it) -> the new state."""
    _, flow = get_service(state.get("item", ""))
    q = next((q for q in flow["questions"] if q["id"] == question_id), None)
    if q is None:
        raise ZhengwuError("guide_bad_question", f"该事项没有这个问题：{question_id}",
                           f"This service has no question '{question_id}'.")
    v = (value or "").strip()
    chosen = None
    for opt in q["options"]:
        if v in (opt["value"], opt["label"], opt.get("en", "")) or v.lower() == opt.get("en", "").lower():
            chosen = opt["value"]
            break
    if chosen is None:
        yes_no = {"是": "yes", "对": "yes", "有": "yes", "y": "yes", "yes": "yes", "否": "no", "不是": "no",
                  "没有": "no", "n": "no", "no": "no", "无": "no"}
        values = {o["value"] for o in q["options"]}
        if yes_no.get(v.lower()) in values:
            chosen = yes_no[v.lower()]
        else:
            for opt in q["options"]:
                if any(p in v for p in opt.get("patterns", [])) or (opt["label"] in v and len(opt["label"]) > 1):
                    chosen = opt["value"]
                    break
    if chosen is None:
        labels = "、".join(o["label"] for o in q["options"])
        raise ZhengwuError("guide_bad_answer", f"没有识别您的回答“{v}”，请从以下选项中选择：{labels}",
                           f"The answer '{v}' was not understood; choose one of: "
                           + ", ".join(o.get("en", o["label"]) for o in q["options"]))
    return {**state, "answers": {**state.get("answers", {}), question_id: chosen}}


def _texts(entries: list[dict], rec: dict, answers: dict, kind: str) -> list[str]:
    out = []
    for e in entries:
        if not _applies(e, answers):
            continue
        if "text" in e:
            out.append(e["text"])
        elif "index" in e:
            mats = rec.get("materials") or []
            if e["index"] < len(mats):
                out.append(mats[e["index"]]["name"])
        elif "field" in e and rec.get(e["field"]):
            out.append(str(rec[e["field"]]))
    return out


def next_step(state: dict) -> dict:
    """The next question to ask, or (when nothing is missing) the personal checklist."""
    rec, flow = get_service(state.get("item", ""))
    answers = state.get("answers", {})
    en = state.get("lang") == "en"
    relevant = [q for q in flow["questions"] if _relevant(q, answers)]
    for rule in flow.get("ineligible", []):
        if _matches(rule["when"], answers):
            return _finish(state, rec, flow, answers, eligible=False, reason=rule["reason"])
    for i, q in enumerate(relevant):
        if q["id"] not in answers:
            return {"done": False, "state": state, "item": state["item"],
                    "name": flow.get("name_en") if en and flow.get("name_en") else flow["name"],
                    "progress": {"answered": sum(1 for x in relevant if x["id"] in answers), "total": len(relevant)},
                    "question": {"id": q["id"], "text": q["en"] if en and q.get("en") else q["text"],
                                 "options": [{"value": o["value"], "label": o.get("en", o["label"]) if en else o["label"]}
                                             for o in q["options"]]}}
    return _finish(state, rec, flow, answers, eligible=True)


def _finish(state: dict, rec: dict, flow: dict, answers: dict, *, eligible: bool, reason: str = "") -> dict:
    time_limit = flow.get("time_limit") or "；".join(
        f"{'承诺' if f.startswith('promised') else '法定'}办结时限 {rec[f]}" for f in flow.get("time_limit_fields", [])
        if rec.get(f))
    where = flow.get("where") or rec.get(flow.get("where_field", ""), "") or ""
    checklist = {
        "item": state["item"], "name": flow["name"], "official_name": rec.get("item_name", ""), "eligible": eligible,
        "reason": reason, "materials": _texts(flow.get("materials", []), rec, answers, "materials") if eligible else [],
        "steps": _texts(flow.get("steps", []), rec, answers, "steps") if eligible else [],
        "notes": _texts(flow.get("notes", []), rec, answers, "notes"),
        "time_limit": time_limit, "where": where, "fees": flow.get("fees", ""),
        "phone": rec.get("consult_phone") or "12345",
        "online_url": rec.get("online_service_url") or rec.get("online_booking_url") or "",
        "agency": rec.get("implementing_agency") or rec.get("publisher") or "",
        "source_url": rec.get("source_url") or "", "source": rec.get("source_platform", ""),
        "answers": answers,
    }
    return {"done": True, "state": state, "item": state["item"], "name": flow["name"], "eligible": eligible,
            "checklist": checklist, "checklist_text": checklist_text(checklist)}


def checklist_text(c: dict) -> str:
    lines = [f"【办事清单】{c['name']}"]
    if not c["eligible"]:
        lines.append(f"根据您的回答，暂不符合申办条件：{c['reason']}")
    if c["materials"]:
        lines.append("一、需准备的材料：")
        lines += [f"  {i}. {m}" for i, m in enumerate(c["materials"], 1)]
    if c["steps"]:
        lines.append("二、办理步骤：")
        lines += [f"  {s}" for s in c["steps"]]
    for label, key in (("办理时限", "time_limit"), ("办理地点", "where"), ("收费", "fees"), ("咨询电话", "phone"),
                       ("网上办理", "online_url"), ("实施机关", "agency")):
        if c.get(key):
            lines.append(f"{label}：{c[key]}")
    for n in c["notes"]:
        lines.append(f"提示：{n}")
    lines.append(f"出处：{c['official_name']} {c['source_url'] or c['source']}（信息可能已更新，请以办理部门最新公布为准）")
    return "\n".join(lines)
