"""Who is calling: every query is scoped by the caller's department and role (DESIGN non-negotiable 6)."""

from __future__ import annotations

from dataclasses import dataclass

from zhengwu.config import get_settings


@dataclass(frozen=True)
class Caller:
    user: str
    department: str
    role: str = "citizen"  # citizen | agent | officer | manager | admin | auditor (zhengwu.identity.roles)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def reads_audit(self) -> bool:
        """Administrators and auditors (合规/审计) read and verify the audit log."""
        return self.role in ("admin", "auditor", "compliance")


def cli_caller() -> Caller:
    """The caller for CLI use: taken from settings (ZHENGWU_USER / ZHENGWU_DEPARTMENT / ZHENGWU_ROLE)."""
    s = get_settings()
    return Caller(user=s.user, department=s.department, role=s.role)
