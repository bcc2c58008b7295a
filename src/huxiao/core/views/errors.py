"""Error pages: JSON with a Chinese ``detail`` under /api/, a page in the shell elsewhere."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def json_error(message: str, status: int) -> JsonResponse:
    """The API's error shape, for answers given before the API itself runs (middleware)."""
    return JsonResponse(
        {"detail": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def _respond(request, status: int, message: str, template: str):
    if request.path.startswith("/api/"):
        return json_error(message, status)
    return render(request, template, {"status": status, "message": message}, status=status)


def bad_request(request, exception=None):
    return _respond(request, 400, _("请求格式不正确。"), "errors/error.html")


def permission_denied(request, exception=None):
    return _respond(request, 403, _("没有权限访问该页面。"), "errors/error.html")


def page_not_found(request, exception=None):
    return _respond(request, 404, _("页面不存在，或不在您的数据范围内。"), "errors/error.html")


def server_error(request):
    return _respond(
        request, 500, _("系统内部错误，已记录。请稍后重试或联系管理员。"), "errors/error.html"
    )


def csrf_failure(request, reason=""):
    """Settings.CSRF_FAILURE_VIEW: the refusal in Chinese, in the shell like every error."""
    return _respond(
        request,
        403,
        _("安全校验失败（CSRF）：页面可能已过期，请刷新页面后重新提交。"),
        "errors/error.html",
    )


def out_of_range(request, exception=None):
    """A number beyond what the database stores (an id, a page offset): 404 when it is an id
    in the path, as for any missing object, else 400."""
    if out_of_range_id(request):
        return page_not_found(request, exception)
    return _respond(request, 400, out_of_range_message(), "errors/error.html")


# What the database says when it is too busy to take a write now, not when the request is wrong:
# SQLite's busy timeout ran out, PostgreSQL's lock timeout, a deadlock or a serialisation failure.
_BUSY_SQLSTATES = {"55P03", "40P01", "40001"}
RETRY_AFTER_SECONDS = 2


def database_busy(exception) -> bool:
    """Whether ``exception`` (an OperationalError or its driver's cause) means "try again"."""
    from django.db import OperationalError

    if not isinstance(exception, OperationalError):
        return False
    cause = exception.__cause__ or exception
    if getattr(cause, "sqlstate", None) in _BUSY_SQLSTATES:
        return True
    return "database is locked" in str(exception) or "database table is locked" in str(exception)


def busy_message() -> str:
    return _("系统繁忙，本次操作未保存，请 %(s)s 秒后重试。") % {"s": RETRY_AFTER_SECONDS}


def busy(request, exception=None):
    """503 with Retry-After: the write was rolled back whole, a client may send it again (the
    API's writes are idempotent where a device or a phone re-sends)."""
    response = _respond(request, 503, busy_message(), "errors/error.html")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def out_of_range_id(request) -> bool:
    """Whether the number too large is an id in the path (then: missing, like any other)."""
    match = getattr(request, "resolver_match", None)
    kwargs = match.kwargs if match else {}
    return any(isinstance(v, int) and not (MIN_BIGINT <= v <= MAX_BIGINT) for v in kwargs.values())


MAX_BIGINT = 2**63 - 1
MIN_BIGINT = -(2**63)


def out_of_range_message() -> str:
    return _("数值超出允许范围（整数最大 %(max)s）。") % {"max": MAX_BIGINT}
