"""Map tiles (MAP_TILE_URL, a parameter of 参数设置): the check of a URL template an
administrator types, and the hosts the page's Content-Security-Policy must then allow.

The environment's template is checked when the process starts (``settings._tile_sources``) and
its hosts are in the CSP from the start; a template saved in the UI is checked here, and
``middleware.MapTileCspMiddleware`` adds its hosts to each page's CSP.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def tile_sources(template: str) -> list[str]:
    """CSP img-src entries for the hosts of ``template`` ("t{s}.example.cn" → "*.example.cn");
    several templates are separated by "|". ValidationError when one is not an http(s) URL."""
    sources = []
    for url in filter(None, (part.strip() for part in (template or "").split("|"))):
        parts = urlsplit(url)
        host = parts.netloc
        if "{" in host:
            host = "*." + host.split(".", 1)[1] if "." in host else ""
        if parts.scheme not in ("http", "https") or not host or any(c in host for c in " ;'\""):
            raise ValidationError(
                _("“%(url)s”不是以 http:// 或 https:// 开头的瓦片地址。") % {"url": url}
            )
        sources.append(f"{parts.scheme}://{host}")
    return list(dict.fromkeys(sources))


def check_tile_url(text: str) -> None:
    tile_sources(text)


def map_tiles() -> dict:
    """The tile settings of a map element's data attributes (huxiao/js/map.js): MAP_TILE_URL and
    its attribution (parameters), the subdomains (settings); an empty URL draws no tiles."""
    from django.conf import settings

    from huxiao.core import parameters

    return {
        "url": parameters.get("MAP_TILE_URL") or "",
        "attribution": parameters.get("MAP_TILE_ATTRIBUTION") or "",
        "subdomains": getattr(settings, "MAP_TILE_SUBDOMAINS", "") or "",
    }
