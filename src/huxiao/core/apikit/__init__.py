"""What every module's API routers share: authentication, Chinese JSON errors, request fields.

The API assembly (``huxiao.api.urls``) sits above every module; these helpers sit in core,
below them, so a router imports them without importing the assembly (docs/decisions.md).
"""
