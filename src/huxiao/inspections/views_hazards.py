"""TEMPORARY placeholder: being written by a helper; replaced before the issue closes."""


def hazard_list(request, *args, **kwargs):
    raise NotImplementedError


def hazard_export(request, *args, **kwargs):
    raise NotImplementedError


def hazard_create(request, *args, **kwargs):
    raise NotImplementedError


def hazard_detail(request, *args, **kwargs):
    raise NotImplementedError


def hazard_action(request, *args, **kwargs):
    raise NotImplementedError


def notice_list(request, *args, **kwargs):
    raise NotImplementedError


def notice_export(request, *args, **kwargs):
    raise NotImplementedError


def notice_create(request, *args, **kwargs):
    raise NotImplementedError


def notice_detail(request, *args, **kwargs):
    raise NotImplementedError


def notice_document(request, *args, **kwargs):
    raise NotImplementedError


def escalation_list(request, *args, **kwargs):
    raise NotImplementedError


def escalation_export(request, *args, **kwargs):
    raise NotImplementedError


def escalation_handle(request, *args, **kwargs):
    raise NotImplementedError


def escalation_document(request, *args, **kwargs):
    raise NotImplementedError
