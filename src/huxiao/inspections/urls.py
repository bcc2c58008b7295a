"""Pages of the inspections module, mounted at /inspections/."""

from django.urls import path

from huxiao.inspections import views_campaigns as c
from huxiao.inspections import views_hazards as h
from huxiao.inspections import views_inspections as i

app_name = "inspections"

urlpatterns = [
    # Campaigns (专项行动) and their progress
    path("", c.campaign_list, name="campaign_list"),
    path("campaigns/export/", c.campaign_export, name="campaign_export"),
    path("campaigns/new/", c.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", c.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", c.campaign_edit, name="campaign_edit"),
    # Checklist templates and versions
    path("checklists/", c.checklist_list, name="checklist_list"),
    path("checklists/new/", c.checklist_create, name="checklist_create"),
    path("checklists/<int:pk>/", c.checklist_detail, name="checklist_detail"),
    path("checklists/<int:pk>/edit/", c.checklist_edit, name="checklist_edit"),
    # Inspections of schools
    path("inspections/", i.inspection_list, name="inspection_list"),
    path("inspections/export/", i.inspection_export, name="inspection_export"),
    path("inspections/new/", i.inspection_create, name="inspection_create"),
    path("inspections/<int:pk>/", i.inspection_detail, name="inspection_detail"),
    path(
        "inspections/<int:pk>/results/<int:result_pk>/hazard/",
        i.inspection_result_hazard,
        name="inspection_result_hazard",
    ),
    # Hazards and their transitions
    path("hazards/", h.hazard_list, name="hazard_list"),
    path("hazards/export/", h.hazard_export, name="hazard_export"),
    path("hazards/new/", h.hazard_create, name="hazard_create"),
    path("hazards/<int:pk>/", h.hazard_detail, name="hazard_detail"),
    path("hazards/<int:pk>/<slug:action>/", h.hazard_action, name="hazard_action"),
    # Rectification notices
    path("notices/", h.notice_list, name="notice_list"),
    path("notices/export/", h.notice_export, name="notice_export"),
    path("notices/new/", h.notice_create, name="notice_create"),
    path("notices/<int:pk>/", h.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/document/", h.notice_document, name="notice_document"),
    # 挂牌督办
    path("escalations/", h.escalation_list, name="escalation_list"),
    path("escalations/export/", h.escalation_export, name="escalation_export"),
    path("escalations/<int:pk>/handle/", h.escalation_handle, name="escalation_handle"),
    path("escalations/<int:pk>/document/", h.escalation_document, name="escalation_document"),
]
