"""Pages of the gate module, mounted at /gate/."""

from django.urls import path

from huxiao.gate import views as v

app_name = "gate"

urlpatterns = [
    path("", v.guard, name="guard"),
    path("visits/out-all/", v.visits_out_all, name="visits_out_all"),
    path("visits/", v.visit_list, name="visit_list"),
    path("visits/export/", v.visit_export, name="visit_export"),
    path("visits/<int:pk>/", v.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/<slug:action>/", v.visit_step, name="visit_step"),
    path("bans/", v.ban_list, name="ban_list"),
    path("bans/export/", v.ban_export, name="ban_export"),
    path("bans/new/", v.ban_create, name="ban_new"),
    path("bans/<int:pk>/", v.ban_detail, name="ban_detail"),
    path("bans/<int:pk>/revoke/", v.ban_revoke, name="ban_revoke"),
    path("passes/", v.pass_list, name="pass_list"),
    path("passes/export/", v.pass_export, name="pass_export"),
    path("passes/new/", v.pass_create, name="pass_new"),
    path("passes/<int:pk>/revoke/", v.pass_revoke, name="pass_revoke"),
    path("vehicles/", v.vehicle_list, name="vehicle_list"),
    path("vehicles/export/", v.vehicle_export, name="vehicle_export"),
    path("vehicles/new/", v.vehicle_create, name="vehicle_new"),
    path("vehicles/<int:pk>/out/", v.vehicle_out, name="vehicle_out"),
    path("pickups/", v.pickup_list, name="pickup_list"),
    path("pickups/export/", v.pickup_export, name="pickup_export"),
    path("pickups/new/", v.pickup_create, name="pickup_new"),
    path("pickups/<int:pk>/revoke/", v.pickup_revoke, name="pickup_revoke"),
    path("pickups/check/", v.pickup_check, name="pickup_check"),
    path("seizures/", v.seizure_list, name="seizure_list"),
    path("seizures/export/", v.seizure_export, name="seizure_export"),
    path("seizures/new/", v.seizure_create, name="seizure_new"),
    path("seizures/<int:pk>/", v.seizure_detail, name="seizure_detail"),
    path("seizures/<int:pk>/receive/", v.seizure_receive, name="seizure_receive"),
]
