"""Authentication of the persons API that answers 404 to signed-in non-police users.

It runs before the request body is parsed, so an education-bureau or school account
learns nothing — not even that a POST body would have been invalid (422): the registry
simply does not exist for them. Anonymous requests still get 401.
"""

from django.http import Http404

from huxiao.core.apikit.auth import TokenAuth, session_auth
from huxiao.core.apikit.errors import require_perm
from huxiao.persons.selectors import can_view


class PoliceTokenAuth(TokenAuth):
    def authenticate(self, request, token: str):
        user = super().authenticate(request, token)
        if user is not None and not can_view(user):
            raise Http404
        return user


def police_session(request):
    user = session_auth(request)
    if user and not can_view(user):
        raise Http404
    return user


police_auth = [PoliceTokenAuth(), police_session]


def police(request, perm: str | None = None, *, disputes: bool = False) -> None:
    """404 unless police with the view permission (and the disputes' one for ``disputes``);
    then 403 without ``perm``. The pages apply the same check (views_access.police_page)."""
    if not can_view(request.user, disputes=disputes):
        raise Http404
    if perm:
        require_perm(request, perm)
