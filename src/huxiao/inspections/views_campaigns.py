"""TEMPORARY placeholder: being written by a helper; replaced before the issue closes."""


def campaign_list(request, *args, **kwargs):
    raise NotImplementedError


def campaign_export(request, *args, **kwargs):
    raise NotImplementedError


def campaign_create(request, *args, **kwargs):
    raise NotImplementedError


def campaign_detail(request, *args, **kwargs):
    raise NotImplementedError


def campaign_edit(request, *args, **kwargs):
    raise NotImplementedError


def checklist_list(request, *args, **kwargs):
    raise NotImplementedError


def checklist_create(request, *args, **kwargs):
    raise NotImplementedError


def checklist_detail(request, *args, **kwargs):
    raise NotImplementedError


def checklist_edit(request, *args, **kwargs):
    raise NotImplementedError


def inspection_list(request, *args, **kwargs):
    raise NotImplementedError


def inspection_export(request, *args, **kwargs):
    raise NotImplementedError


def inspection_create(request, *args, **kwargs):
    raise NotImplementedError


def inspection_detail(request, *args, **kwargs):
    raise NotImplementedError


def inspection_result_hazard(request, *args, **kwargs):
    raise NotImplementedError
