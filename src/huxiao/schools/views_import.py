"""Pages of the ledger import: choose and upload → preview with every error → commit.

The preview writes nothing; the commit reads the kept file again, re-checks every row and
writes all of it or none of it (``imports.commit``). A user may import only the ledgers
their role allows and only into schools and stations in their scope; a row outside the
scope is a row error, never a server error.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from huxiao.core.audit import record_export
from huxiao.core.exports import xlsx_download
from huxiao.schools.imports import LEDGERS, ImportFileError, Scope, commit, prepare, uploads
from huxiao.schools.imports.reader import check_size, file_kind
from huxiao.schools.imports.workbook import errors_workbook, ledger_workbook, template_workbook

ERRORS_PER_PAGE = 100


def importable(user) -> list:
    return [ledger for ledger in LEDGERS.values() if user.has_perm(ledger.import_permission)]


class ImportForm(forms.Form):
    ledger = forms.ChoiceField(
        label=gettext_lazy("台账"),
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    file = forms.FileField(
        label=gettext_lazy("文件"),
        allow_empty_file=True,  # an empty file gets the import's own message
        help_text=gettext_lazy(".xlsx 或 .csv（UTF-8 或 GBK 编码），不超过20 MB"),
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv", "class": "form-control"}),
    )
    gcj02 = forms.BooleanField(
        label=gettext_lazy("坐标为GCJ-02（高德/腾讯地图）"),
        required=False,
        help_text=gettext_lazy("勾选后，经纬度按GCJ-02读取并转换为WGS-84保存。"),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, ledgers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ledger"].choices = [(ledger.key, ledger.title) for ledger in ledgers]


def _start_page(request, form, ledgers, status=200):
    rows = [
        {
            "ledger": ledger,
            "can_export": request.user.has_perm(ledger.export_permission),
        }
        for ledger in ledgers
    ]
    return render(
        request, "schools/import_start.html", {"form": form, "ledgers": rows}, status=status
    )


@login_required
def import_start(request):
    ledgers = importable(request.user)
    if not ledgers:
        raise PermissionDenied
    if request.method != "POST":
        initial = {"ledger": request.GET.get("ledger") or ledgers[0].key}
        return _start_page(request, ImportForm(ledgers=ledgers, initial=initial), ledgers)
    form = ImportForm(request.POST, request.FILES, ledgers=ledgers)
    if not form.is_valid():
        return _start_page(request, form, ledgers, status=400)
    ledger = LEDGERS[form.cleaned_data["ledger"]]
    upload = form.cleaned_data["file"]
    gcj02 = form.cleaned_data["gcj02"]
    try:
        kind = file_kind(upload.name)
        check_size(upload.size)
        data = upload.read()
        plan = prepare(ledger, data, upload.name, user=request.user, gcj02=gcj02)
    except ImportFileError as exc:
        form.add_error("file", str(exc))
        return _start_page(request, form, ledgers, status=400)
    saved = uploads.create(
        data=data,
        kind=kind,
        filename=upload.name,
        ledger=ledger.key,
        gcj02=gcj02,
        user=request.user,
        plan=plan,
    )
    return redirect("schools:school_import_preview", token=saved.token)


def _upload_for(request, token):
    upload = uploads.load(token, request.user)
    if upload is None or upload.meta.get("ledger") not in LEDGERS:
        raise Http404
    ledger = LEDGERS[upload.meta["ledger"]]
    if not request.user.has_perm(ledger.import_permission):
        raise PermissionDenied
    return upload, ledger


@login_required
@require_GET
def import_preview(request, token):
    upload, ledger = _upload_for(request, token)
    context = {"upload": upload, "meta": upload.meta, "ledger": ledger}
    if upload.meta["state"] == "done":
        return render(request, "schools/import_result.html", context)
    context["page_obj"] = Paginator(upload.errors(), ERRORS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "schools/import_preview.html", context)


@login_required
@require_POST
def import_commit(request, token):
    upload, ledger = _upload_for(request, token)
    meta = upload.meta
    if meta["state"] == "done":
        return redirect("schools:school_import_preview", token=upload.token)
    data = upload.read_source()
    if data is None:
        raise Http404
    if meta["error_count"]:
        messages.error(request, _("文件有错误，不能导入。请修改后重新上传。"))
        return redirect("schools:school_import_preview", token=upload.token)
    try:
        outcome = commit(
            ledger, data, meta["filename"], user=request.user, gcj02=bool(meta["gcj02"])
        )
    except ImportFileError as exc:  # the file itself cannot change, but be safe
        messages.error(request, str(exc))
        return redirect("schools:school_import_preview", token=upload.token)
    meta.update(uploads.plan_summary(outcome.plan))
    if not outcome.ok:
        upload.save_errors([e.as_dict() for e in outcome.plan.sorted_errors()])
        upload.save_meta()
        messages.error(request, _("数据已发生变化，复核时发现错误，本次未导入任何数据。"))
        return redirect("schools:school_import_preview", token=upload.token)
    meta["state"] = "done"
    meta["result"] = outcome.result
    meta["committed"] = timezone.now().isoformat()
    upload.save_meta()
    upload.discard_source()
    messages.success(request, _("导入完成。"))
    return redirect("schools:school_import_preview", token=upload.token)


@login_required
@require_GET
def import_errors(request, token):
    upload, _ledger = _upload_for(request, token)
    return xlsx_download(errors_workbook(upload.errors()), f"导入错误清单-{upload.token[:8]}.xlsx")


def _ledger(key):
    if key not in LEDGERS:
        raise Http404
    return LEDGERS[key]


@login_required
@require_GET
def import_template(request, ledger_key):
    ledger = _ledger(ledger_key)
    if not request.user.has_perm(ledger.import_permission):
        raise PermissionDenied
    return xlsx_download(template_workbook(ledger), _("%(t)s导入模板.xlsx") % {"t": ledger.title})


@login_required
@require_GET
def ledger_export(request, ledger_key):
    """The ledger with personal data in clear, in the import layout, so it can be edited and
    imported back. Only for holders of the ledger's change permission; recorded in the audit
    trail. (The schools pages' own exports are masked as on screen.)"""
    ledger = _ledger(ledger_key)
    if not request.user.has_perm(ledger.export_permission):
        raise PermissionDenied
    content, count = ledger_workbook(ledger, ledger.export_rows(Scope(request.user)), export=True)
    record_export(
        object_type=ledger.object_type,
        count=count,
        filters={"ledger": ledger.key, "unmasked": ledger.personal_data},
        actor=request.user,
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return xlsx_download(content, f"{ledger.title}-{stamp}.xlsx")
