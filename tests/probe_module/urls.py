from django.urls import path

from . import views

app_name = "probe"

urlpatterns = [path("", views.index, name="index")]
