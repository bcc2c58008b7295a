"""Pages of the key-person registry (重点人员): list and export, detail, the logged
"查看完整信息", create and edit, and the follow-up form.

Police only (``views_access.police_page``): everyone else gets 404 on every page. Identities
are masked on the list, in the export and on the detail page; the full ID number, phone,
address, coordinates, notes and follow-up whereabouts appear only in the answer to the
"查看完整信息" POST (``selectors.key_person_reveal``, which writes the access log with the
optional reason) and are kept nowhere (no session, ``Cache-Control: no-store``). Every
rendering of a person's detail page is itself written to the access log (SPEC 2.3: "Every
view of a key person's detail is written to the access log"), without a reason.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huxiao.core import audit, crypto, parameters
from huxiao.core.exceptions import ConflictError
from huxiao.core.forms import apply_service_errors, warn_id_number
from huxiao.core.views.generic import Column, ScopedList, page_of
from huxiao.persons import rules, selectors, services
from huxiao.persons.choices import Category, ControlMeasure, PersonStatus, ScreeningOutcome
from huxiao.persons.filtersets import KeyPersonFilterSet
from huxiao.persons.forms import FollowUpForm, KeyPersonForm, RevealForm
from huxiao.persons.models import KeyPerson
from huxiao.persons.views_access import VIEW_DISPUTE, police_page

ADD_PERSON = "persons.add_keyperson"
CHANGE_PERSON = "persons.change_keyperson"
ADD_FOLLOWUP = "persons.add_followup"
IMPORT_PERM = ADD_PERSON
ADD_SCREENING = "persons.add_screeningbatch"
# Service field → the form field that stands for it.
FORM_ALIASES = {"home_location": "home_latitude", "schools": "nearby_schools"}

_CATEGORIES = dict(Category.choices)
_MEASURES = dict(ControlMeasure.choices)


def category_labels(person: KeyPerson) -> list[str]:
    return [str(_CATEGORIES.get(c, c)) for c in person.categories]


def measure_labels(person: KeyPerson) -> list[str]:
    return [str(_MEASURES.get(m, m)) for m in person.control_measures]


def review_state(person: KeyPerson, today) -> str:
    """ "overdue", "due", "ok" or "" (revoked: no review planned)."""
    if person.status == PersonStatus.REVOKED:
        return ""
    return rules.review_state(
        person.next_review_date, today, parameters.get("PERSONS_REVIEW_REMIND_DAYS")
    )


def age_of(person: KeyPerson, today) -> int | None:
    born = person.birth_date
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


# ---- the list and its export ---------------------------------------------------------------


persons = ScopedList(
    permission=selectors.VIEW_PERM,
    selector=lambda user: selectors.key_person_list(user=user),
    filterset_class=KeyPersonFilterSet,
    template="persons/person_list.html",
    export_filename=gettext_lazy("重点人员"),
    object_type="persons.keyperson",
    columns=(
        Column(gettext_lazy("姓名"), lambda p: p.name),
        Column(gettext_lazy("性别"), lambda p: p.get_gender_display()),
        Column(gettext_lazy("身份证号"), lambda p: crypto.mask_id_number(p.id_number or "")),
        Column(gettext_lazy("手机号"), lambda p: crypto.mask_phone(p.phone or "")),
        Column(gettext_lazy("住址"), lambda p: crypto.mask_address(p.address or "")),
        Column(gettext_lazy("类别"), lambda p: "、".join(category_labels(p))),
        Column(gettext_lazy("精神障碍危险性等级"), lambda p: p.mental_risk_level),
        Column(gettext_lazy("总体风险"), lambda p: p.get_risk_level_display()),
        Column(gettext_lazy("责任单位"), lambda p: p.station.name),
        Column(gettext_lazy("责任民警"), lambda p: p.officer.display_name if p.officer_id else ""),
        Column(gettext_lazy("管控措施"), lambda p: "、".join(measure_labels(p))),
        Column(gettext_lazy("状态"), lambda p: p.get_status_display()),
        Column(gettext_lazy("列管日期"), lambda p: p.listed_on),
        Column(gettext_lazy("最近核查日期"), lambda p: p.last_review_date),
        Column(gettext_lazy("下次核查日期"), lambda p: p.next_review_date),
        Column(
            gettext_lazy("核查逾期"),
            lambda p: review_state(p, timezone.localdate()) == "overdue",
        ),
    ),
)
key_person_export = police_page()(persons.export_view)


@police_page()
@require_GET
def key_person_list(request):
    user = request.user
    filterset, queryset = persons.filter(request)
    page_obj = page_of(request, queryset)
    today = timezone.localdate()
    page_obj.object_list = list(page_obj.object_list)
    for person in page_obj.object_list:
        person.id_masked = crypto.mask_id_number(person.id_number or "")
        person.phone_masked = crypto.mask_phone(person.phone or "")
        person.category_labels = category_labels(person)
        person.review = review_state(person, today)
    context = {
        "filter": filterset,
        "page_obj": page_obj,
        "counts": selectors.key_person_counts(user=user),
        "can_add": user.has_perm(ADD_PERSON),
        "can_import": user.has_perm(IMPORT_PERM),
        "tab": "persons",
    }
    return render(request, "persons/person_list.html", context)


# ---- the detail page -----------------------------------------------------------------------


def render_detail(
    request,
    person: KeyPerson,
    *,
    identity: selectors.Identity | None = None,
    follow_up_form: FollowUpForm | None = None,
    reveal_form: RevealForm | None = None,
    error: str = "",
    status: int = 200,
):
    """The person's page. Without ``identity`` it is masked and its rendering is logged as an
    access; with it (the reveal's answer) ``key_person_reveal`` has logged it already."""
    user = request.user
    if identity is None:
        audit.record_access(obj=person, actor=user)
    today = timezone.localdate()
    can_follow = user.has_perm(ADD_FOLLOWUP) and person.status != PersonStatus.REVOKED
    if can_follow and follow_up_form is None:
        follow_up_form = FollowUpForm(person=person)
    can_reveal = user.has_perm(selectors.REVEAL_PERM)
    disputes = []
    if user.has_perm(VIEW_DISPUTE):
        disputes = list(selectors.dispute_list(user=user).filter(key_person=person))
    context = {
        "person": person,
        "identity": identity,
        "id_masked": crypto.mask_id_number(person.id_number or ""),
        "phone_masked": crypto.mask_phone(person.phone or ""),
        "address_masked": crypto.mask_address(person.address or ""),
        "age": age_of(person, today),
        "categories": category_labels(person),
        "measures": measure_labels(person),
        "review": review_state(person, today),
        "review_rule": rules.rule_label(person.review_rule) if person.review_rule else "",
        "links": list(selectors.school_links(user=user, person=person)),
        "follow_ups": (follow_ups := list(selectors.follow_up_list(user=user, person=person))),
        # One date, two possible sources: a follow-up recorded here, or the paper ledger the
        # person was listed from. The page says which, so "最近核查" never contradicts the list.
        "review_from_ledger": bool(person.last_review_date)
        and not any(f.date >= person.last_review_date for f in follow_ups),
        "screenings": list(selectors.person_screenings(user=user, person=person)),
        "disputes": disputes,
        "can_view_disputes": user.has_perm(VIEW_DISPUTE),
        "can_change": user.has_perm(CHANGE_PERSON),
        "can_reveal": can_reveal,
        "reveal_form": reveal_form or (RevealForm() if can_reveal else None),
        "follow_up_form": follow_up_form if can_follow else None,
        "error": error,
        "conflict": status == 409,
        "tab": "persons",
    }
    response = render(request, "persons/person_detail.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@police_page()
@require_GET
def key_person_detail(request, pk: int):
    return render_detail(request, selectors.key_person_get(user=request.user, pk=pk))


@police_page(selectors.REVEAL_PERM)
@require_POST
def key_person_reveal(request, pk: int):
    """The full identity on this answer only; the access log has who, when and why."""
    person = selectors.key_person_get(user=request.user, pk=pk)
    form = RevealForm(request.POST)
    if not form.is_valid():
        return render_detail(request, person, reveal_form=form, status=400)
    identity = selectors.key_person_reveal(
        user=request.user, person=person, reason=form.cleaned_data["reason"]
    )
    return render_detail(request, person, identity=identity, reveal_form=form)


@police_page(ADD_FOLLOWUP)
@require_POST
def follow_up_create(request, pk: int):
    user = request.user
    person = selectors.key_person_get(user=user, pk=pk)
    form = FollowUpForm(request.POST, person=person)
    if form.is_valid():
        try:
            services.follow_up_create(person=person, actor=user, **form.service_kwargs())
        except ConflictError as exc:
            person = selectors.key_person_get(user=user, pk=pk)
            return render_detail(request, person, error=exc.message, status=409)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            person = selectors.key_person_get(user=user, pk=pk)
            if person.next_review_date:
                messages.success(
                    request,
                    _("走访核查已记录，下次核查日期：%(d)s。")
                    % {"d": person.next_review_date.isoformat()},
                )
            else:
                messages.success(request, _("走访核查已记录。"))
            return redirect("persons:key_person_detail", pk=pk)
    person = selectors.key_person_get(user=user, pk=pk)
    return render_detail(request, person, follow_up_form=form, status=400)


# ---- create and edit -----------------------------------------------------------------------


def _form_page(request, form, person=None, status=200, batch=None):
    context = {"form": form, "person": person, "batch": batch, "tab": "persons"}
    return render(request, "persons/person_form.html", context, status=status)


def _screening_batch(request):
    """``?screening=<batch>``: the person is listed as a new listing (新增列管) of that batch of
    rolling screening; a batch the user cannot see, or cannot add to, is not found."""
    value = request.GET.get("screening")
    if not value:
        return None
    if not value.isdigit() or not request.user.has_perm(ADD_SCREENING):
        raise Http404
    batch = selectors.screening_batch_get(user=request.user, pk=int(value))
    if batch.imported:
        raise Http404
    return batch


@police_page(ADD_PERSON)
@require_http_methods(["GET", "POST"])
def key_person_create(request):
    user = request.user
    batch = _screening_batch(request)
    if request.method != "POST":
        form = KeyPersonForm(user=user)
        if batch is not None:
            form.fields["listed_on"].initial = min(timezone.localdate(), batch.period_end)
        return _form_page(request, form, batch=batch)
    form = KeyPersonForm(request.POST, user=user)
    if form.is_valid():
        try:
            if batch is None:
                person = services.key_person_create(actor=user, **form.create_kwargs())
            else:
                (entry,) = services.screening_entries_add(
                    batch=batch,
                    actor=user,
                    outcome=ScreeningOutcome.LISTED,
                    new_person=form.create_kwargs(),
                )
                person = entry.person
        except ValidationError as exc:
            apply_service_errors(form, exc, aliases=FORM_ALIASES)
        else:
            messages.success(request, _("重点人员已列管。"))
            warn_id_number(request, person.id_number)
            if batch is not None:
                return redirect("persons:screening_detail", pk=batch.pk)
            return redirect("persons:key_person_detail", pk=person.pk)
    return _form_page(request, form, status=400, batch=batch)


@police_page(CHANGE_PERSON)
@require_http_methods(["GET", "POST"])
def key_person_edit(request, pk: int):
    user = request.user
    person = selectors.key_person_get(user=user, pk=pk)
    links = list(selectors.school_links(user=user, person=person))
    if request.method != "POST":
        return _form_page(request, KeyPersonForm(user=user, person=person, links=links), person)
    form = KeyPersonForm(request.POST, user=user, person=person, links=links)
    status = 400
    if form.is_valid():
        try:
            services.key_person_update(person=person, actor=user, **form.update_kwargs())
        except ConflictError as exc:
            form.add_error(None, exc.message)
            status = 409
        except ValidationError as exc:
            apply_service_errors(form, exc, aliases=FORM_ALIASES)
        else:
            messages.success(request, _("重点人员信息已保存。"))
            warn_id_number(request, form.cleaned_data.get("id_number"))
            return redirect("persons:key_person_detail", pk=person.pk)
    return _form_page(request, form, person, status=status)
