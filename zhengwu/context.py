"""Who is calling: every query is scoped by the caller's department and role (DESIGN non-negotiable 6)."""

from __future__ import annotations

from dataclasses import dataclass

from zhengwu.config import get_settings


@dataclass(frozen=True)
class Caller:
    user: str
    department: str
    role: str = "user"  # user | agent | officer | admin | compliance

    @property
    def is_admin(self) -> bool:
        return self.role in ("admin", "compliance")


def cli_caller() -> Caller:
    """The caller for CLI use: taken from settings (ZHENGWU_USER / ZHENGWU_DEPARTMENT / ZHENGWU_ROLE)."""
    s = get_settings()
    return Caller(user=s.user, department=s.department, role=s.role)
