"""Facts the patrols module answers for modules below it (``Module.facts``)."""

from huxiao.patrols.models import GuardPost


def active_guard_posts(school):
    """The school's active 护学岗, to count in a subquery: ``school`` is an ``OuterRef``.

    Schools' compliance counts them for the 护学岗 rule (SPEC 2.2) over the (school, is_active)
    index, without importing this module.
    """
    return GuardPost.objects.filter(school=school, is_active=True)
