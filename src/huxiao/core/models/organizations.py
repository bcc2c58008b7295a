from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from huxiao.core.choices import POLICE_KINDS, OrgKind
from huxiao.core.scoping import ScopedQuerySet

division_code_validator = RegexValidator(r"^\d{6}$", _("行政区划代码应为6位数字（GB/T 2260）"))


class Organization(models.Model):
    """One node of the jurisdiction tree: a police organ, an education bureau, a school or a company."""

    # Scoping: an organisation is scoped by itself (its own path).
    scope_org_path = ""

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级单位"),
    )
    kind = models.CharField(_("类型"), max_length=32, choices=OrgKind.choices, db_index=True)
    name = models.CharField(_("名称"), max_length=128)
    short_name = models.CharField(_("简称"), max_length=64, blank=True)
    code = models.CharField(_("单位代码"), max_length=32, unique=True)
    division_code = models.CharField(
        _("行政区划代码"), max_length=6, validators=[division_code_validator]
    )
    # Materialised path of zero-padded primary keys, "/00000001/00000004/": a subtree is one
    # indexed prefix scan, and ordering by path lists the tree depth-first, siblings by id.
    path = models.CharField(_("树路径"), max_length=255, editable=False, default="")
    depth = models.PositiveSmallIntegerField(_("层级"), editable=False, default=0)
    # A school also answers to an education bureau, so both hierarchies see it.
    education_bureau = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_schools",
        limit_choices_to={"kind": OrgKind.EDUCATION_BUREAU},
        verbose_name=_("主管教育局"),
    )
    doc_prefix = models.CharField(
        _("机关代字"), max_length=16, blank=True, help_text=_("发文字号前缀，如“昆公官函”")
    )
    address = models.CharField(_("地址"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("纬度 (WGS-84)"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("经度 (WGS-84)"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["path"]
        indexes = [
            # (path, kind): counts by kind over a subtree are answered from the index alone.
            models.Index(fields=["path", "kind"], name="org_path_kind_idx"),
            # PostgreSQL only: LIKE 'prefix%' uses this index under any collation.
            models.Index(
                fields=["path"], name="org_path_like_idx", opclasses=["varchar_pattern_ops"]
            ),
        ]
        permissions = [("view_all_organizations", "Can view every organisation")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_police(self) -> bool:
        return self.kind in POLICE_KINDS

    @staticmethod
    def path_segment(pk: int) -> str:
        return f"{pk:08d}/"

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]
