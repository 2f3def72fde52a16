"""Request dependencies: the caller identity.

The platform is meant to sit behind the department's single sign-on proxy, which sets the
X-Zhengwu-User / X-Zhengwu-Department / X-Zhengwu-Role headers; without them a request is an anonymous
citizen of the default department.
"""

from __future__ import annotations

from fastapi import Header

from zhengwu.config import get_settings
from zhengwu.context import Caller


def get_caller(
    x_zhengwu_user: str | None = Header(default=None),
    x_zhengwu_department: str | None = Header(default=None),
    x_zhengwu_role: str | None = Header(default=None),
) -> Caller:
    s = get_settings()
    return Caller(
        user=x_zhengwu_user or "anonymous",
        department=x_zhengwu_department or s.department,
        role=x_zhengwu_role or "user",
    )
