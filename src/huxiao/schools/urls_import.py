from django.urls import path

from huxiao.schools import views_import as views

urlpatterns = [
    path("", views.import_start, name="school_import"),
    path("template/<slug:ledger_key>/", views.import_template, name="school_import_template"),
    path("export/<slug:ledger_key>/", views.ledger_export, name="school_import_export"),
    path("<uuid:token>/", views.import_preview, name="school_import_preview"),
    path("<uuid:token>/commit/", views.import_commit, name="school_import_commit"),
    path("<uuid:token>/errors/", views.import_errors, name="school_import_errors"),
]
