from django.urls import include, path

from huxiao.schools import views_compliance

app_name = "schools"

urlpatterns = [
    path("compliance/", views_compliance.compliance_summary, name="compliance_summary"),
    path("compliance/export/", views_compliance.compliance_export, name="compliance_export"),
    path("import/", include("huxiao.schools.urls_import")),
    path("", include("huxiao.schools.urls_pages")),
]
