"""JSON errors with a Chinese ``detail`` for every failure of the API."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, OperationalError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, ValidationError

from huxiao.core.exceptions import ConflictError
from huxiao.core.views.errors import (
    RETRY_AFTER_SECONDS,
    busy_message,
    database_busy,
    out_of_range_id,
    out_of_range_message,
)

log = logging.getLogger(__name__)

_HTTP_MESSAGES = {
    400: lambda: _("请求格式不正确。"),
    401: lambda: _("未登录，或API令牌无效、已过期、已吊销。"),
    403: lambda: _("没有权限执行此操作。"),
    404: lambda: _("对象不存在，或不在您的数据范围内。"),
    405: lambda: _("不支持该请求方法。"),
    409: lambda: _("记录已被他人修改，请刷新后重试。"),
    429: lambda: _("请求过于频繁，请稍后再试。"),
}


def _field_name(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload")]
    return ".".join(parts) or "-"


def _describe(error: dict) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return _("缺少必填项")
    if kind.startswith(("int_", "float_")):
        return _("应为数字")
    if kind.startswith("string_too_long"):
        return _("内容过长")
    if kind.startswith("bool"):
        return _("应为是/否")
    return _("取值不正确")


def install(api) -> None:
    @api.exception_handler(ValidationError)
    def _validation(request, exc: ValidationError):
        errors = [
            {"field": _field_name(e.get("loc", ())), "message": _describe(e)} for e in exc.errors
        ]
        summary = "；".join(f"{e['field']}：{e['message']}" for e in errors[:5])
        return api.create_response(
            request,
            {"detail": _("请求参数不正确：%(summary)s") % {"summary": summary}, "errors": errors},
            status=422,
        )

    @api.exception_handler(DjangoValidationError)
    def _model_validation(request, exc: DjangoValidationError):
        if hasattr(exc, "message_dict"):
            errors = [{"field": k, "message": "；".join(v)} for k, v in exc.message_dict.items()]
        else:
            errors = [{"field": "-", "message": m} for m in exc.messages]
        summary = "；".join(e["message"] for e in errors[:5])
        return api.create_response(request, {"detail": summary, "errors": errors}, status=400)

    @api.exception_handler(ConflictError)
    def _conflict(request, exc: ConflictError):
        return api.create_response(request, {"detail": exc.message}, status=409)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request, exc):
        return api.create_response(request, {"detail": _HTTP_MESSAGES[401]()}, status=401)

    @api.exception_handler(HttpError)
    def _http(request, exc: HttpError):
        message = exc.message
        if exc.status_code == 400 and message.startswith("Cannot parse request body"):
            message = _("请求体不是有效的JSON。")
        elif not message or message.isascii():
            message = _HTTP_MESSAGES.get(exc.status_code, lambda: message)()
        return api.create_response(request, {"detail": message}, status=exc.status_code)

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return api.create_response(request, {"detail": _HTTP_MESSAGES[404]()}, status=404)

    @api.exception_handler(PermissionDenied)
    def _forbidden(request, exc):
        return api.create_response(request, {"detail": _HTTP_MESSAGES[403]()}, status=403)

    @api.exception_handler(OverflowError)
    def _overflow(request, exc):
        return _out_of_range(request, exc)

    @api.exception_handler(DataError)
    def _data_error(request, exc):
        if "out of range" in str(exc):
            return _out_of_range(request, exc)
        return _crash(request, exc)

    def _out_of_range(request, exc):
        if out_of_range_id(request):  # an id in the path: missing, with the API's 404
            return api.create_response(request, {"detail": _HTTP_MESSAGES[404]()}, status=404)
        return api.create_response(request, {"detail": out_of_range_message()}, status=400)

    @api.exception_handler(RequestDataTooBig)
    def _too_big(request, exc):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
        return api.create_response(
            request, {"detail": _("请求体过大（上限 %(mb)s MB）。") % {"mb": limit}}, status=413
        )

    @api.exception_handler(MultiPartParserError)
    def _multipart(request, exc):
        return api.create_response(
            request,
            {"detail": _("表单数据格式不正确（multipart 缺少或损坏了分隔符）。")},
            status=400,
        )

    @api.exception_handler(OperationalError)
    def _operational(request, exc):
        if database_busy(exc):
            log.warning("API busy on %s: %s", request.path, exc)
            response = api.create_response(request, {"detail": busy_message()}, status=503)
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        return _crash(request, exc)

    @api.exception_handler(Exception)
    def _crash(request, exc):
        log.exception("API error on %s", request.path)
        return api.create_response(
            request, {"detail": _("系统内部错误，已记录。请稍后重试或联系管理员。")}, status=500
        )


def require_perm(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise HttpError(403, _("没有权限执行此操作。"))


# The error answers every operation can give (the handlers above), declared in the OpenAPI
# document so that a client knows them: every operation, and those with a body.
ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "说明（中文）"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
    "required": ["detail"],
}
_EVERY_OPERATION = {
    400: "请求不正确（参数、数值范围、格式）",
    401: "未登录，或令牌无效",
    403: "没有权限",
    404: "对象不存在，或不在数据范围内",
    422: "请求参数不符合接口定义",
    503: "系统繁忙，本次操作未保存；按 Retry-After 秒数后重试",
}
_WITH_BODY = {
    409: "记录已被他人修改（expected_version 不符）",
    413: "请求体过大",
    415: "请求体须为 application/json",
}


def declare_error_answers(schema: dict) -> dict:
    """Add the error answers to every operation of an OpenAPI document (in place)."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            answers = dict(_EVERY_OPERATION)
            if "requestBody" in operation:
                answers |= _WITH_BODY
            for status, text in answers.items():
                operation["responses"].setdefault(status, {"description": text, "content": ref})
    return schema
