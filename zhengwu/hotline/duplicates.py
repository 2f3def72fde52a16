"""Duplicate tickets (并单, 国办函〔2025〕66号): tickets about the same event — same place, same problem, close in time —
are linked as candidates; an agent merges them (every caller and every event kept) or dismisses the link.

Why character bigrams: callers describe one event in different words and with typos; overlapping bigrams of
the title and summary catch that without a model and cost microseconds per pair.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhengwu.hotline.models import Ticket, TicketLink

WINDOW = timedelta(days=7)
THRESHOLD = 0.5
_NOISE = re.compile(r"[\s\d，。、！？!?,.;；:：“”\"'（）()《》_xXdD]+")


def _bigrams(s: str) -> set[str]:
    s = _NOISE.sub("", s)
    return {s[i:i + 2] for i in range(len(s) - 1)}


def _problem(t: Ticket) -> set[str]:
    return _bigrams(f"{t.title} {t.summary or t.text[:200]}")


def _place(a: Ticket, b: Ticket) -> tuple[float, str]:
    """1 same street/community/detail, 0.6 same district, 0 otherwise (an empty place never matches)."""
    if a.district and a.district == b.district and a.city == b.city:
        for f in ("community", "street", "detail"):
            if getattr(a, f) and getattr(a, f) == getattr(b, f):
                return 1.0, f
        return 0.6, "district"
    if a.location_text and a.location_text == b.location_text:
        return 1.0, "location_text"
    return 0.0, ""


def _utc(v: datetime) -> datetime:
    return v.astimezone(timezone.utc) if v.tzinfo else v.replace(tzinfo=timezone.utc)


def similarity(a: Ticket, b: Ticket) -> tuple[float, list[str]]:
    """Score in [0, 1] and the reasons: problem words, place, time."""
    pa, pb = _problem(a), _problem(b)
    text = len(pa & pb) / max(1, min(len(pa), len(pb))) if pa and pb else 0.0
    place, where = _place(a, b)
    gap = abs((_utc(a.received_at) - _utc(b.received_at)).total_seconds()) / WINDOW.total_seconds()
    close = max(0.0, 1.0 - gap)
    score = 0.55 * text + 0.3 * place + 0.15 * close
    reasons = [f"problem:{text:.2f}"] + ([f"place:{where}"] if where else []) + [f"time:{close:.2f}"]
    if text < 0.3:  # the same street with a different problem is not the same event
        score = min(score, THRESHOLD - 0.01)
    return round(score, 3), reasons


def find_candidates(session: Session, ticket: Ticket, limit: int = 300) -> list[TicketLink]:
    """Link `ticket` to earlier open tickets of its department about the same event (links are stored)."""
    q = (select(Ticket).where(Ticket.department == ticket.department, Ticket.id != ticket.id,
                              Ticket.duplicate_of.is_(None),
                              Ticket.received_at >= ticket.received_at - WINDOW,
                              Ticket.received_at <= ticket.received_at + WINDOW)
         .order_by(Ticket.received_at.desc()).limit(limit))
    if ticket.district:
        q = q.where(Ticket.district == ticket.district)
    links = []
    for other in session.scalars(q):
        score, reasons = similarity(ticket, other)
        if score >= THRESHOLD:
            link = TicketLink(department=ticket.department, ticket_id=ticket.id, other_id=other.id, score=score,
                              reasons=reasons)
            session.add(link)
            links.append(link)
    return links
