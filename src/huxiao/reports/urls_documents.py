from django.urls import path

from huxiao.reports import views_documents as v

urlpatterns = [
    path("documents/", v.document_list, name="document_list"),
    path("documents/export/", v.document_export, name="document_export"),
    path("documents/new/<str:kind>/", v.document_create, name="document_create"),
    path("documents/<int:pk>/", v.document_detail, name="document_detail"),
    path("documents/<int:pk>/status/", v.document_status, name="document_status"),
    path("documents/<int:pk>/download/", v.document_download, name="document_download"),
    path("documents/<int:pk>/reproduce/", v.document_reproduce, name="document_reproduce"),
    path("templates/<str:kind>/", v.template_edit, name="template_edit"),
    path("templates/<str:kind>/history/", v.template_history, name="template_history"),
]
