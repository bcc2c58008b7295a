"""字典管理 (views_dictionaries.py)."""

from django.urls import path

from huxiao.system import views_dictionaries as v

urlpatterns = [
    path("dictionaries/", v.dictionary_list, name="dictionary_list"),
    path("dictionaries/export/", v.dictionary_list_export, name="dictionary_list_export"),
    path("dictionaries/<str:code>/", v.dictionary_detail, name="dictionary_detail"),
    path("dictionaries/<str:code>/export/", v.dictionary_export, name="dictionary_export"),
    path("dictionaries/<str:code>/new/", v.dictionary_item_create, name="dictionary_item_create"),
    path(
        "dictionaries/<str:code>/<int:pk>/edit/",
        v.dictionary_item_edit,
        name="dictionary_item_edit",
    ),
    path(
        "dictionaries/<str:code>/<int:pk>/delete/",
        v.dictionary_item_delete,
        name="dictionary_item_delete",
    ),
]
