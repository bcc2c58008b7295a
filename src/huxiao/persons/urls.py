"""Pages of the key-person registry, mounted at /persons/ (police only: 404 for the rest)."""

from django.urls import path

from huxiao.persons import views, views_disputes, views_import, views_screening

app_name = "persons"

urlpatterns = [
    # Key persons (重点人员)
    path("", views.key_person_list, name="key_person_list"),
    path("export/", views.key_person_export, name="key_person_export"),
    path("new/", views.key_person_create, name="key_person_create"),
    path("<int:pk>/", views.key_person_detail, name="key_person_detail"),
    path("<int:pk>/reveal/", views.key_person_reveal, name="key_person_reveal"),
    path("<int:pk>/edit/", views.key_person_edit, name="key_person_edit"),
    path("<int:pk>/follow-ups/", views.follow_up_create, name="key_person_follow_up"),
    # The ledger (.xlsx): import through the schools' framework, template, masked export
    path("import/", views_import.key_person_import, name="key_person_import"),
    path(
        "import/template/",
        views_import.key_person_import_template,
        name="key_person_import_template",
    ),
    path("import/ledger/", views_import.key_person_ledger_export, name="key_person_ledger"),
    # Rolling screening (滚动排查)
    path("screening/", views_screening.screening_list, name="screening_list"),
    path("screening/export/", views_screening.screening_export, name="screening_export"),
    path("screening/new/", views_screening.screening_create, name="screening_create"),
    path("screening/<int:pk>/", views_screening.screening_detail, name="screening_detail"),
    path(
        "screening/<int:pk>/entries/",
        views_screening.screening_entries,
        name="screening_entries",
    ),
    # Disputes (涉校涉生矛盾纠纷)
    path("disputes/", views_disputes.dispute_list, name="dispute_list"),
    path("disputes/board/", views_disputes.dispute_board, name="dispute_board"),
    path("disputes/export/", views_disputes.dispute_export, name="dispute_export"),
    path("disputes/new/", views_disputes.dispute_create, name="dispute_create"),
    path("disputes/<int:pk>/", views_disputes.dispute_detail, name="dispute_detail"),
    path("disputes/<int:pk>/reveal/", views_disputes.dispute_reveal, name="dispute_reveal"),
    path(
        "disputes/<int:pk>/transition/",
        views_disputes.dispute_transition,
        name="dispute_transition",
    ),
    path(
        "disputes/<int:pk>/mediations/",
        views_disputes.mediation_create,
        name="dispute_mediation",
    ),
]
