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
from django.core.exceptions import PermissionDenied
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
            if not selectors.can_view(user, disputes=disputes):
                raise Http404
            if perm and not user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorate


def errors_text(form) -> str:
    return " ".join(str(m) for errors in form.errors.values() for m in errors)
