"""Being written (issue 6)."""

urlpatterns: list = []
