"""The closed loop and working-day deadlines (Chinese public holidays and 调休 working weekends)."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from zhengwu.errors import ZhengwuError
from zhengwu.hotline import workflow


def test_the_whole_loop_and_its_returns():
    path = ["受理", "派单", "办理", "答复", "办结", "回访", "评价"]
    for a, b in zip(path, path[1:]):
        workflow.check_transition(a, b)
    for a, b in [("派单", "受理"), ("办理", "派单"), ("答复", "办理"), ("回访", "办理"), ("受理", "办结")]:
        workflow.check_transition(a, b)


@pytest.mark.parametrize("a,b", [("受理", "答复"), ("派单", "办结"), ("办结", "受理"), ("评价", "回访"), ("受理", "受理")])
def test_skipping_steps_is_refused_with_both_languages(a, b):
    with pytest.raises(ZhengwuError) as e:
        workflow.check_transition(a, b)
    assert e.value.code == "bad_transition" and e.value.status == 409
    assert "可转到" in e.value.zh and "allowed" in e.value.en


def test_unknown_status_refused():
    with pytest.raises(ZhengwuError) as e:
        workflow.check_transition("受理", "closed")
    assert e.value.code == "bad_status"


def test_national_day_holidays_and_makeup_workday_count():
    # 2026 National Day: 1-7 Oct off; Saturday 10 Oct is a 调休 working day (State Council notice for 2026)
    assert not workflow.is_workday(date(2026, 10, 5))
    assert workflow.is_workday(date(2026, 10, 10))
    assert workflow.add_workdays(date(2026, 9, 30), 3) == date(2026, 10, 10)
    # a year the calendar package does not know yet still counts weekends
    assert not workflow.is_workday(date(2031, 3, 1)) and workflow.is_workday(date(2031, 3, 3))


def test_deadline_by_type_and_urgency(zw_env):
    received = datetime(2026, 11, 27, 2, 0, tzinfo=timezone.utc)  # Friday 10:00 in Beijing
    assert workflow.deadline_for(received, "投诉").date() == date(2026, 12, 4)  # 5 working days
    assert workflow.deadline_for(received, "投诉", "特急").date() == date(2026, 11, 30)  # capped at 1
    assert workflow.deadline_for(received, "建议").date() == date(2026, 12, 11)


def test_deadline_days_are_configurable(zw_env, monkeypatch):
    from zhengwu.config import reset_settings

    monkeypatch.setenv("ZHENGWU_HOTLINE_DEADLINE_DAYS", '{"咨询": 1, "投诉": 2}')
    reset_settings()
    received = datetime(2026, 11, 27, 2, 0, tzinfo=timezone.utc)
    assert workflow.deadline_for(received, "投诉").date() == date(2026, 12, 1)


def test_at_risk_and_overdue():
    deadline = datetime(2026, 12, 4, 15, 59, 59, tzinfo=timezone.utc)  # end of Friday 4 Dec in Beijing
    assert workflow.timing("办理", deadline, datetime(2026, 11, 30, 2, tzinfo=timezone.utc)) == {
        "workdays_left": 4, "at_risk": False, "overdue": False}
    t = workflow.timing("办理", deadline, datetime(2026, 12, 3, 2, tzinfo=timezone.utc))
    assert t["at_risk"] and not t["overdue"] and t["workdays_left"] == 1
    t = workflow.timing("办理", deadline, datetime(2026, 12, 7, 2, tzinfo=timezone.utc))
    assert t["overdue"] and not t["at_risk"] and t["workdays_left"] == -1
    assert workflow.timing("办结", deadline, datetime(2026, 12, 7, 2, tzinfo=timezone.utc))["overdue"] is False
