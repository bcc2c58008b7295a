"""“我的待办” and attached files."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from huxiao.core import files, workcalendar, worklist


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    count: int
    overdue: int


@dataclass(frozen=True)
class Row:
    item: worklist.WorkItem
    workdays_left: int | None  # negative: working days past the deadline
    days_left: int | None  # calendar days to the deadline (0: due today)


def _workdays_left(due, today) -> int | None:
    if due is None:
        return None
    return workcalendar.workdays_between(today, due) if due != today else 0


@login_required
def my_tasks(request):
    """What waits on the user, nearest deadline first; one pill per kind, overdue in red."""
    items = worklist.items_for(request.user)
    counts: dict[str, list] = {}
    for item in items:
        entry = counts.setdefault(item.kind, [item.kind_label, 0, 0])
        entry[1] += 1
        entry[2] += item.overdue
    kinds = [Kind(code, label, n, late) for code, (label, n, late) in counts.items()]
    kind = request.GET.get("kind", "")
    if kind not in counts:
        kind = ""
    shown = [i for i in items if i.kind == kind] if kind else items
    today = timezone.localdate()
    rows = [
        Row(i, _workdays_left(i.due, today), (i.due - today).days if i.due else None) for i in shown
    ]
    dues = [i.due for i in items if i.due is not None and i.due >= today]
    return render(
        request,
        "core/my_tasks.html",
        {
            "rows": rows,
            "kinds": kinds,
            "kind": kind,
            "total": len(items),
            "overdue": sum(i.overdue for i in items),
            "calendar_warning": workcalendar.schedule_warning(*dues, span=False),
        },
    )


def _session_or_bearer(view):
    """A signed-in session, or an API client's ``Authorization: Bearer <token>`` (the API
    answers attachments as ``/files/<id>/``): the same user, the same scope checks. A token that
    is wrong answers 401 in Chinese; without either, a browser is sent to the login page."""
    import functools

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        from huxiao.core.apikit.auth import TokenAuth, bearer_token

        token = bearer_token(request)
        if token is not None:
            from huxiao.core.views.errors import json_error

            user = TokenAuth().authenticate(request, token)
            if user is None:
                return json_error(_("令牌无效、已过期或已撤销。"), 401)
            return view(request, *args, **kwargs)
        return login_required(view)(request, *args, **kwargs)

    return wrapped


@_session_or_bearer
def file_download(request, pk: int):
    """Serve an attachment after the same scope check as its record (404 outside it)."""
    attachment = files.attachment_get(user=request.user, pk=pk)
    inline = attachment.is_image or attachment.mime_type == "application/pdf"
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.mime_type,
        as_attachment=not inline or request.GET.get("download") == "1",
        filename=attachment.original_name,
    )
    response["Cache-Control"] = "private, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response
