"""Who may open a page of the key-person registry, and what the pages share.

The registry does not exist for anyone who is not police with the module's view
permission: every page answers 404 to them — list pages included — exactly as the API
does (``persons.api.police``), so an education bureau, a school, a guard or a volunteer
cannot even learn that a person's id exists. Anonymous visitors go to the sign-in page.
A police user who may read but not write gets 403 on a write page.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from huxiao.persons import selectors

VIEW_DISPUTE = "persons.view_dispute"


def police_page(perm: str | None = None, *, disputes: bool = False):
    """Signed in (else the sign-in page); police with the view permission (else 404);
    then holding ``perm`` (else 403)."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not selectors.can_view(user) or (disputes and not user.has_perm(VIEW_DISPUTE)):
                raise Http404
            if perm and not user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorate


def apply_service_errors(form, exc: ValidationError, *, aliases: dict | None = None) -> None:
    """Put a service's ValidationError on the form: on the field when the form has it
    (``aliases`` maps a model field to the form field that stands for it)."""
    aliases = aliases or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        name = aliases.get(field, field)
        if name in form.fields:
            form.add_error(name, errors)
        else:
            for error in errors:
                for message in error.messages:
                    form.add_error(None, message)


def errors_text(form) -> str:
    return " ".join(str(m) for errors in form.errors.values() for m in errors)
