"""“我的待办” and attached files."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import render

from huxiao.core import files, worklist


@login_required
def my_tasks(request):
    items = worklist.items_for(request.user)
    kinds = {}
    for item in items:
        kinds.setdefault(item.kind, item.kind_label)
    kind = request.GET.get("kind", "")
    shown = [i for i in items if i.kind == kind] if kind in kinds else items
    return render(
        request,
        "core/my_tasks.html",
        {
            "items": shown,
            "kinds": kinds,
            "kind": kind if kind in kinds else "",
            "total": len(items),
        },
    )


@login_required
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
