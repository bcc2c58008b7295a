from ninja import Router

from huxiao.core.apikit.errors import require_perm

from .registry import VIEW

router = Router(tags=["probe"])


@router.get("/probe", summary="测试模块")
def probe(request):
    require_perm(request, VIEW)
    return {"module": "probe"}
