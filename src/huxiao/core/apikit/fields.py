"""Request fields the routers share: a choice from a filter, objects picked by id within scope,
a user's name. Every failure is a 400 with a Chinese message naming the field."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja.errors import HttpError


def _bad_filter(name: str, value) -> HttpError:
    return HttpError(400, _("筛选条件不正确：%(problems)s") % {"problems": f"{name}：{value}"})


def choice(name: str, value: str, choices) -> str:
    if value and value not in choices.values:
        raise _bad_filter(name, value)
    return value


def _missing(field: str, label: str, ids) -> ValidationError:
    return ValidationError(
        {
            field: _("%(what)s不存在或不在您的数据范围内：%(ids)s")
            % {"what": label, "ids": "、".join(str(i) for i in sorted(ids))}
        }
    )


def pick(queryset, ids: list[int], *, field: str, label: str) -> list:
    """The objects of ``queryset`` with these ids, in that order; 400 naming any not found."""
    found = {o.pk: o for o in queryset.filter(pk__in=ids)}
    missing = set(ids) - set(found)
    if missing:
        raise _missing(field, label, missing)
    return [found[i] for i in dict.fromkeys(ids)]


def one(queryset, pk: int | None, *, field: str, label: str):
    if pk is None:
        return None
    return pick(queryset, [pk], field=field, label=label)[0]


def display_name(user) -> str:
    """``User.display_name``, or "" when there is no user (an optional reference)."""
    return user.display_name if user is not None else ""


def filtered(request, filterset_class, queryset, filters):
    """``queryset`` filtered as the list page filters it: the page's filterset, given the API
    query's filters (a ninja Schema or a dict) under the same names (a yes/no as the page's
    1/0). A filter that does not validate (a choice outside the user's scope, a bad value)
    answers 400 naming it."""
    items = filters.dict().items() if hasattr(filters, "dict") else dict(filters).items()
    data = {}
    for name, value in items:
        if value is None or value == "":
            continue
        if isinstance(value, bool):
            value = "1" if value else "0"
        data[name] = str(value)
    filterset = filterset_class(data, queryset=queryset, request=request)
    if not filterset.is_valid():
        problems = "；".join(f"{k}：{'；'.join(v)}" for k, v in filterset.errors.items())
        raise HttpError(400, _("筛选条件不正确：%(problems)s") % {"problems": problems})
    return filterset.qs


class Shown:
    """A queryset the paginator counts and slices, each row of the page (only) shown as a dict
    by ``show`` — a list endpoint whose rows are not the model's fields."""

    def __init__(self, rows, show):
        self.rows, self.show = rows, show

    def count(self) -> int:
        return self.rows.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self.show(a) for a in self.rows[index]]
        return self.show(self.rows[index])
