from django.urls import include, path

urlpatterns = [
    path("", include("huxiao.schools.urls_pages")),
    path("import/", include("huxiao.schools.urls_import")),
]
