"""Key-person reviews in “我的待办” (``huxiao.core.worklist``): SPEC 4's "a key person due
for review" on the responsible officer's list — the name only, never the ID number."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from huxiao.core import worklist
from huxiao.persons import selectors
from huxiao.persons.choices import PersonStatus
from huxiao.persons.services.alerts import detail_link


def review_items(user):
    if not selectors.can_view(user):
        return
    today = timezone.localdate()
    for p in selectors.reviews_due(user=user, today=today):
        lost = p.status == PersonStatus.LOST
        yield worklist.WorkItem(
            kind="key_person_review",
            kind_label=_("查找失控重点人员") if lost else _("重点人员核查"),
            title=p.name,
            url=detail_link(p.pk),
            due=p.next_review_date,
            school="、".join(str(link.school) for link in p.linked_schools),
            state=p.get_status_display(),
            object_type="persons.keyperson",
            object_id=p.pk,
            urgent=lost or (p.next_review_date is not None and p.next_review_date < today),
            extra={"rule": p.review_rule, "station": p.station.name},
        )
