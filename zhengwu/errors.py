"""User-facing errors: every message exists in Chinese first and English second.

Callers raise ZhengwuError; the CLI prints both languages and exits 2, the API turns it into a JSON body
with the matching HTTP status. Stack traces never reach a user.
"""

from __future__ import annotations


class ZhengwuError(Exception):
    """An error a user can act on. `code` is stable and machine-readable."""

    status = 400

    def __init__(self, code: str, zh: str, en: str, *, status: int | None = None, **context: object) -> None:
        super().__init__(f"{zh} / {en}")
        self.code = code
        self.zh = zh
        self.en = en
        self.context = context
        if status is not None:
            self.status = status

    def to_dict(self) -> dict:
        return {"code": self.code, "message_zh": self.zh, "message_en": self.en, **{
            k: v for k, v in self.context.items() if isinstance(v, (str, int, float, bool, type(None)))}}

    def bilingual(self) -> str:
        return f"{self.zh}\n{self.en}"


class NotFound(ZhengwuError):
    status = 404


class Forbidden(ZhengwuError):
    status = 403
