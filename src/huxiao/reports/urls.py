"""Pages of statistics and reports (统计与报告), mounted at /reports/.

Each area keeps its own URLconf: the figures (figure table, its export), the dashboards and
the big screen, and the documents written from the figures (工作情况报告, 答复函, 整改报告).
"""

from django.urls import include, path

app_name = "reports"

urlpatterns = [
    path("", include("huxiao.reports.urls_figures")),
    path("", include("huxiao.reports.urls_documents")),
    path("", include("huxiao.reports.urls_dashboard")),
]
