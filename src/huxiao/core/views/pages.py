"""Pages of the shell. (Being built; see the UI helper's work.)"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from huxiao.core import selectors


@login_required
def home(request):
    counts = selectors.organization_counts(user=request.user)
    return HttpResponse(str(counts))


organization_list = organization_detail = user_list = audit_list = notification_list = profile = home
