"""Pages of the preparedness module, mounted at /preparedness/."""

from django.urls import path

from huxiao.preparedness import views as v

app_name = "preparedness"

urlpatterns = [
    path("plans/", v.plan_list, name="plan_list"),
    path("plans/export/", v.plan_export, name="plan_export"),
    path("plans/new/", v.plan_create, name="plan_new"),
    path("plans/<int:pk>/", v.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/review/", v.plan_review, name="plan_review"),
    path("drills/", v.drill_list, name="drill_list"),
    path("drills/export/", v.drill_export, name="drill_export"),
    path("drills/new/", v.drill_create, name="drill_new"),
    path("drills/record/", v.drill_record, name="drill_record"),
    path("drills/bulk/", v.drill_bulk, name="drill_bulk"),
    path("drills/<int:pk>/", v.drill_detail, name="drill_detail"),
    path("drills/<int:pk>/hold/", v.drill_hold, name="drill_hold"),
    path("drills/<int:pk>/cancel/", v.drill_cancel, name="drill_cancel"),
    path("compliance/", v.compliance, name="compliance"),
    path("compliance/export/", v.compliance_export, name="compliance_export"),
]
