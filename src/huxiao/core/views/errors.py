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
