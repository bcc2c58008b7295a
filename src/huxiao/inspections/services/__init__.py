"""Writes of the inspections module. Pages, the API, the periodic tasks and the demo
generator call these and nothing else; each runs in one transaction and is audited."""

from huxiao.inspections.services.campaigns import (  # noqa: F401
    campaign_create,
    campaign_update,
    inspection_finish,
    inspection_record,
    inspection_start,
)
from huxiao.inspections.services.checklists import (  # noqa: F401
    checklist_create,
    checklist_publish,
    checklist_update,
)
from huxiao.inspections.services.hazards import (  # noqa: F401
    ConflictError,
    escalation_handle,
    hazard_add_photos,
    hazard_change_deadline,
    hazard_chase,
    hazard_create,
    hazard_escalate,
    hazard_from_result,
    hazard_note,
    hazard_recheck,
    hazard_report,
    hazard_start,
    hazard_sweep,
    hazard_transition,
    notice_issue,
    notice_receive,
)
