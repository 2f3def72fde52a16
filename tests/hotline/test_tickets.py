"""The ticket service on a real SQLite file: department scope, masking by role and by the caller's wish for
confidentiality, history, duplicates, merge and unmerge."""

from __future__ import annotations

import pytest

from zhengwu.context import Caller
from zhengwu.errors import ZhengwuError
from zhengwu.hotline import tickets
from zhengwu.hotline.extract import fill

CENTRE, UNIT, OTHER = "12345中心", "城管局", "教育局"
AGENT = Caller("agent1", CENTRE, "agent")
OFFICER = Caller("officer1", UNIT, "officer")
STRANGER = Caller("agent9", OTHER, "agent")
MANAGER = Caller("boss", CENTRE, "manager")
CITIZEN = Caller("anonymous", CENTRE, "citizen")


def _from_text(text: str, **extra: object) -> dict:
    """Ticket fields as the agent confirms them from the filled form."""
    f = fill(text)
    loc = f.location.value or {}
    data = {"text": text, "caller_name": f.caller_name.value, "contact": f.contact.value,
            "request_type": f.request_type.value, "urgency": f.urgency.value, "confidential": f.confidential.value,
            "location_text": loc.get("text"), **{k: loc.get(k) for k in ("province", "city", "district", "street",
                                                                          "community", "detail")}}
    return {k: v for k, v in {**data, **extra}.items() if v not in (None, "")}


def test_roles_departments_and_masking(zw_env, court_filing):
    t = tickets.create_ticket(AGENT, _from_text(court_filing, title="购房定金纠纷"))
    assert t["status"] == "受理" and t["deadline"] and t["contact"] == "18629087654" and t["caller_name"] == "杨柳"
    # the manager reads statistics, not the caller: masked, also inside the text
    m = tickets.get_ticket(MANAGER, t["id"])
    assert m["contact"] == "186****7654" and m["caller_name"] == "杨*" and "18629087654" not in m["text"]
    assert "杨柳" not in m["text"] and m["personal_data_masked"]
    # another department: the ticket does not exist for it; a citizen is refused
    with pytest.raises(ZhengwuError) as e:
        tickets.get_ticket(STRANGER, t["id"])
    assert e.value.status == 404
    with pytest.raises(ZhengwuError) as e:
        tickets.get_ticket(CITIZEN, t["id"])
    assert e.value.status == 403
    assert tickets.list_tickets(STRANGER)["total"] == 0
    # dispatched: the unit reads it, with the contact (no confidentiality wish)
    tickets.transition(AGENT, t["id"], "派单", department=UNIT)
    u = tickets.get_ticket(OFFICER, t["id"])
    assert u["contact"] == "18629087654" and u["responsible_department"] == UNIT
    assert tickets.list_tickets(OFFICER)["total"] == 1


def test_confidential_caller_is_masked_even_for_the_handling_unit(zw_env, court_filing):
    data = _from_text(court_filing + "\n请对被告保密，不要透露我的信息。", title="购房定金纠纷")
    assert data["confidential"] is True
    t = tickets.create_ticket(AGENT, data)
    tickets.transition(AGENT, t["id"], "派单", department=UNIT)
    u = tickets.get_ticket(OFFICER, t["id"])
    assert u["confidential"] and u["contact"] == "186****7654" and "18629087654" not in u["text"]
    assert tickets.get_ticket(AGENT, t["id"])["contact"] == "18629087654"  # the centre that took the call sees it


def test_the_unit_handles_replies_and_cannot_close_or_edit(zw_env, court_filing):
    t = tickets.create_ticket(AGENT, _from_text(court_filing, title="购房定金纠纷"))
    tickets.transition(AGENT, t["id"], "派单", department=UNIT)
    tickets.transition(OFFICER, t["id"], "办理")
    with pytest.raises(ZhengwuError) as e:
        tickets.transition(OFFICER, t["id"], "答复")
    assert e.value.code == "reply_needed"
    tickets.transition(OFFICER, t["id"], "答复", reply="已约谈开发商，定金于十个工作日内退还。")
    with pytest.raises(ZhengwuError) as e:
        tickets.transition(OFFICER, t["id"], "办结")
    assert e.value.status == 403
    with pytest.raises(ZhengwuError) as e:
        tickets.update_ticket(OFFICER, t["id"], {"district": "雁塔区"})
    assert e.value.status == 403
    for status in ("办结", "回访"):
        tickets.transition(AGENT, t["id"], status)
    done = tickets.transition(AGENT, t["id"], "评价", satisfaction="满意")
    assert done["status"] == "评价" and done["next_statuses"] == [] and done["overdue"] is False
    events = tickets.get_ticket(AGENT, t["id"])["events"]
    assert [e["to_status"] for e in events if e["action"] == "transition"] == ["派单", "办理", "答复", "办结", "回访",
                                                                                 "评价"]
    assert {e["user"] for e in events} == {"agent1", "officer1"}


def test_bad_input_is_refused_and_nothing_stored(zw_env):
    for bad, code in [({}, "empty_ticket"), ({"text": "x", "request_type": "闲聊"}, "bad_ticket_field"),
                      ({"text": "x", "colour": "red"}, "unknown_ticket_fields"),
                      ({"text": "x" * 20001}, "bad_ticket_field"), ({"text": "x", "received_at": "昨天"},
                                                                     "bad_ticket_field"),
                      ({"text": ["x"]}, "bad_ticket_field"), ("not a dict", "bad_ticket")]:
        with pytest.raises(ZhengwuError) as e:
            tickets.create_ticket(AGENT, bad)
        assert e.value.code == code and e.value.zh and e.value.en
    assert tickets.list_tickets(AGENT)["total"] == 0
    with pytest.raises(ZhengwuError):
        tickets.create_ticket(MANAGER, {"text": "x"})


def test_update_records_changes_without_personal_values(zw_env, court_filing):
    t = tickets.create_ticket(AGENT, _from_text(court_filing, title="购房定金纠纷"))
    before = t["deadline"]
    u = tickets.update_ticket(AGENT, t["id"], {"contact": "13912345678", "urgency": "特急"})
    assert u["contact"] == "13912345678" and u["deadline"] < before
    change = tickets.get_ticket(AGENT, t["id"])["events"][-1]["changes"]
    assert change["contact"] == ["", ""] and change["urgency"] == ["一般", "特急"]


def test_duplicates_are_linked_merged_and_unmerged(zw_env, messages):
    # real messages filed again and again about the same place and problem (the hotspot pool's repeats)
    by_title: dict[str, list[dict]] = {}
    for m in messages:
        by_title.setdefault(m["title"][:12], []).append(m)
    group = next(g for g in by_title.values() if len(g) >= 3 and "区" in g[0]["title"])[:3]
    unrelated = next(m for m in messages if m["title"][:12] not in {g["title"][:12] for g in group}
                     and "区" in m["title"])
    created = []
    for i, m in enumerate(group + [unrelated]):
        data = _from_text(m["text"], title=m["title"], received_at="2026-11-2%d 10:00" % (3 + i),
                          contact=f"1380013800{i}", caller_name=f"市民{i}")
        created.append(tickets.create_ticket(AGENT, data))
    first, second, third, other = (c["id"] for c in created)
    assert any(c["ticket_id"] == first for c in created[1]["duplicate_candidates"])
    assert not any(c["ticket_id"] in (first, second, third) for c in created[3]["duplicate_candidates"])
    merged = tickets.merge(AGENT, first, [second, third])
    assert sorted(m["id"] for m in merged["merged"]) == [second, third]
    assert {m["contact"] for m in merged["merged"]} == {"13800138001", "13800138002"}  # every caller kept
    assert tickets.list_tickets(AGENT)["total"] == 2  # merged tickets leave the default list
    assert tickets.list_tickets(AGENT, include_merged=True)["total"] == 4
    with pytest.raises(ZhengwuError) as e:
        tickets.transition(AGENT, second, "派单", department=UNIT)
    assert e.value.code == "ticket_merged"
    with pytest.raises(ZhengwuError):
        tickets.merge(AGENT, second, [other])  # a merged ticket cannot take others
    back = tickets.unmerge(AGENT, third)
    assert back["duplicate_of"] is None
    assert [m["id"] for m in tickets.get_ticket(AGENT, first)["merged"]] == [second]
    with pytest.raises(ZhengwuError) as e:
        tickets.merge(STRANGER, first, [third])
    assert e.value.status == 404


def test_model_view_holds_no_contact(zw_env, court_filing):
    t = tickets.create_ticket(AGENT, _from_text(court_filing, title="购房定金纠纷"))
    v = tickets.model_view(tickets.get_ticket(AGENT, t["id"]))
    assert "contact" not in v and "caller_name" not in v
    assert "18629087654" not in str(v) and "杨柳" not in str(v)
