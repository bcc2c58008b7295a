"""Writes of the persons module (services keyword-only, one transaction each)."""

from huxiao.persons.services.disputes import (
    OPEN_STATES,
    TRANSITIONS,
    dispute_create,
    dispute_transition,
    dispute_update,
    mediation_create,
    transition_problem,
)
from huxiao.persons.services.follow_ups import follow_up_create, follow_ups_create_many
from huxiao.persons.services.persons import (
    key_person_create,
    key_person_create_many,
    key_person_update,
    person_validate,
)
from huxiao.persons.services.screening import (
    screening_batch_create,
    screening_entries_add,
    screening_recount,
)

__all__ = [
    "OPEN_STATES",
    "TRANSITIONS",
    "dispute_create",
    "dispute_transition",
    "dispute_update",
    "follow_up_create",
    "follow_ups_create_many",
    "key_person_create",
    "key_person_create_many",
    "key_person_update",
    "mediation_create",
    "person_validate",
    "screening_batch_create",
    "screening_entries_add",
    "screening_recount",
    "transition_problem",
]
