"""Pages of the key-person registry (filled in by the pages half of issue 5)."""

urlpatterns: list = []
