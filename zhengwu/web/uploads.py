"""Multipart uploads through FastAPI's own `UploadFile`, with two things Starlette leaves out.

- A cap on the whole body, checked as it streams in (and up front from Content-Length), so a runaway upload
  is refused with 413 before it fills the temporary directory. The per-file limit is applied when the file
  is copied into the data directory (zhengwu.kb.uploads.save_upload).
- File names in RFC 5987 form (`filename*=UTF-8''%E5%A4%B1…`), which some browsers and tools send and which
  python-multipart leaves out (the part would otherwise arrive as a plain text field, its name lost).

Use: `router.add_api_route(path, endpoint, methods=["POST"], route_class_override=upload_route(limit))` with
the endpoint taking `files: list[UploadFile] = File(...)`.
"""

from __future__ import annotations

import re
from collections.abc import AsyncGenerator, Callable, Coroutine
from contextlib import aclosing
from typing import Any
from urllib.parse import unquote

from fastapi import Request, Response
from fastapi.routing import APIRoute
from python_multipart.multipart import parse_options_header
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException, MultiPartParser

from zhengwu.errors import ZhengwuError

_STAR = re.compile(rb"filename\*\s*=\s*([\w-]*)'[^']*'([^;]+)", re.I)
_PLAIN = re.compile(rb";\s*filename\s*=\s*(\"(?:[^\"\\]|\\.)*\"|[^;]*)", re.I)


def plain_filename(disposition: bytes) -> bytes:
    """A Content-Disposition value with `filename*=charset''…` turned into an ordinary `filename="…"`
    (it wins over a plain filename given beside it, as RFC 6266 says)."""
    if not _STAR.search(disposition):
        return disposition
    disposition = _PLAIN.sub(b"", disposition)
    m = _STAR.search(disposition)
    charset = m.group(1).decode("ascii", "replace") or "utf-8"
    value = m.group(2).decode("ascii", "replace").strip().strip('"')
    try:
        name = unquote(value, encoding=charset)
    except LookupError:
        name = unquote(value)
    quoted = name.replace("\\", "\\\\").replace('"', '\\"').encode("utf-8")
    return disposition[:m.start()] + b'filename="' + quoted + b'"' + disposition[m.end():]


class _Parser(MultiPartParser):
    def on_header_end(self) -> None:
        if self._current_partial_header_name.lower() == b"content-disposition":
            self._current_partial_header_value = plain_filename(self._current_partial_header_value)
        super().on_header_end()


def _too_large() -> ZhengwuError:
    return ZhengwuError("upload_too_large", "上传内容总量过大。", "the upload as a whole is too large.", status=413)


class UploadRequest(Request):
    """A request whose body is capped at `total_limit` bytes and whose multipart form is read by `_Parser`."""

    total_limit: int = 0

    async def stream(self) -> AsyncGenerator[bytes, None]:
        received = 0
        async for chunk in super().stream():
            received += len(chunk)
            if received > self.total_limit:
                raise _too_large()
            yield chunk

    async def form(self, *, max_files: int | float = 1000, max_fields: int | float = 1000,  # type: ignore[override]
                   max_part_size: int = 1024 * 1024) -> FormData:
        if self._form is None:
            ctype, params = parse_options_header(self.headers.get("content-type", ""))
            if ctype != b"multipart/form-data" or not params.get(b"boundary"):
                raise ZhengwuError("upload_not_multipart", "请以 multipart/form-data 上传文件（字段名 files）。",
                                   "upload the files as multipart/form-data (field name 'files').", status=415)
            try:
                async with aclosing(self.stream()) as stream:
                    self._form = await _Parser(self.headers, stream, max_files=max_files, max_fields=max_fields,
                                               max_part_size=max_part_size).parse()
            except MultiPartException as exc:
                raise ZhengwuError("upload_bad_multipart", f"上传内容无法解析（{exc.message}）。",
                                   f"the upload cannot be read ({exc.message}).", status=400) from None
        return self._form


def upload_route(total_limit: Callable[[], int]) -> type[APIRoute]:
    """A route class for upload endpoints; `total_limit()` is read per request (settings may change)."""

    class UploadRoute(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handler = super().get_route_handler()

            async def route_handler(request: Request) -> Response:
                limit = total_limit()
                length = request.headers.get("content-length", "")
                if length.isdigit() and int(length) > limit:
                    raise _too_large()
                upload = UploadRequest(request.scope, request.receive)
                upload.total_limit = limit
                try:
                    return await handler(upload)
                except HTTPException as exc:
                    # FastAPI reports any error while reading the body as a bare 400; ours carry the reason
                    if isinstance(exc.__cause__, ZhengwuError):
                        raise exc.__cause__ from None
                    raise

            return route_handler

    return UploadRoute
