"""Facts the inspections module answers for modules below it (``Module.facts``)."""

from huxiao.inspections.choices import InspectionStatus
from huxiao.inspections.models import Inspection


def schools_inspected(date_from=None, date_to=None):
    """The schools with a finished inspection dated within [date_from, date_to] (either bound
    may be None), as a ``values("school")`` queryset for ``School.pk__in``.

    The school list's 检查日期 filters read it (逐校逐园: the schools inspected in a period) without
    importing this module; the list itself keeps to the user's scope.
    """
    inspections = Inspection.objects.filter(status=InspectionStatus.FINISHED)
    if date_from is not None:
        inspections = inspections.filter(date__gte=date_from)
    if date_to is not None:
        inspections = inspections.filter(date__lte=date_to)
    return inspections.order_by().values("school")
