"""The key-person ledger's import page, template and masked export, behind the police gate.

The ledger itself (columns, checks, all-or-nothing write) is ``persons.imports.ledger``,
registered with the schools' import framework; the preview, commit and error-list pages are
the framework's own (``schools.views_import``: the upload is bound to its uploader, the
preview writes nothing, the commit re-checks every row and writes all or nothing). What is
here is only the persons-side door: a start page that offers this one ledger, and the
template and export downloads — each answering 404 to anyone who is not police, like every
other page of the registry (the framework's own URLs would answer 403 or an empty file).
"""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from huxiao.persons.imports.ledger import LEDGER
from huxiao.persons.views_access import police_page
from huxiao.schools import views_import as framework
from huxiao.schools.imports import ImportFileError, prepare, uploads
from huxiao.schools.imports.reader import check_size, file_kind

IMPORT_PERM = LEDGER.import_permission


def _page(request, form, status=200):
    context = {
        "form": form,
        "ledger": LEDGER,
        "can_export": request.user.has_perm(LEDGER.export_permission),
        "tab": "import",
    }
    return render(request, "persons/import_start.html", context, status=status)


@police_page(IMPORT_PERM)
@require_http_methods(["GET", "POST"])
def key_person_import(request):
    if request.method != "POST":
        return _page(request, framework.ImportForm(ledgers=[LEDGER]))
    data = request.POST.copy()
    data["ledger"] = LEDGER.key  # this page imports this ledger only
    form = framework.ImportForm(data, request.FILES, ledgers=[LEDGER])
    if not form.is_valid():
        return _page(request, form, status=400)
    upload = form.cleaned_data["file"]
    try:
        kind = file_kind(upload.name)
        check_size(upload.size)
        content = upload.read()
        plan = prepare(LEDGER, content, upload.name, user=request.user)
    except ImportFileError as exc:
        form.add_error("file", str(exc))
        return _page(request, form, status=400)
    saved = uploads.create(
        data=content,
        kind=kind,
        filename=upload.name,
        ledger=LEDGER.key,
        gcj02=False,
        user=request.user,
        plan=plan,
    )
    return redirect("schools:school_import_preview", token=saved.token)


@police_page(IMPORT_PERM)
@require_GET
def key_person_import_template(request):
    return framework.import_template(request, LEDGER.key)


@police_page(LEDGER.export_permission)
@require_GET
def key_person_ledger_export(request):
    """The ledger in the import layout, masked (``personal_data=False``); recorded."""
    return framework.ledger_export(request, LEDGER.key)
