from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse

from .registry import VIEW


@login_required
@permission_required(VIEW, raise_exception=True)
def index(request):
    return HttpResponse("测试模块")
