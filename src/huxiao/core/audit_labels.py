"""The audit trail as the auditor reads it (issue 14): Chinese names for its codes.

A record stores codes — ``inspections.hazard``, ``state``, ``rectifying``, ``organization_id:
5`` — so that the chain stays verifiable whatever is renamed later. The audit page and its
export show them through ``Labeller``, the one helper both use: the model's verbose name for
the object type, the field's verbose name for a key, the choice label for a value (整改中 →
待复查), 是/否 for a boolean, local time for a timestamp, and a related record's name for a
foreign key ("用户 张三（#9）"). The codes stay beside the labels (a title on the page, their
own columns in the export).

The names of related records are read in one query per batch of records (a UNION over the
related models), never one per row or per value. What the trail hides stays hidden: a value
already replaced by ``audit.HIDDEN`` is shown as it is, a police-only record
(``audit_content_hidden``) and a record holding personal data (an encrypted field) are named
by their kind and number only — accounts excepted, whose holders the auditor must know, and a
record that is another one (a school, its organisation) named by that one.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import islice

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import CharField, F, IntegerField, Value
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huxiao.core.audit import HIDDEN

SHORT = 40  # characters of a value in a table cell
SHOWN_CHANGES = 5  # changed fields listed in a table cell
EXPORT_VALUE = 500  # characters of one value in the export's summary of changes
CELL_MAX = 32_000  # Excel keeps at most 32,767 characters in a cell

# Fields that name a record, in order of preference (the first one not empty wins).
NAME_FIELDS = ("full_name", "name", "number", "title", "label", "plate", "code", "username")

# Keys that services write beside a model's fields (``audit.append(after={...})``).
EXTRA_KEYS = {
    "id": "ID",
    "count": gettext_lazy("数量"),
    "filters": gettext_lazy("筛选条件"),
    "reason": gettext_lazy("事由"),
    "user_agent": gettext_lazy("浏览器标识"),
    "deleted": gettext_lazy("删除条数"),
    "cutoff": gettext_lazy("截止时间"),
    "query": gettext_lazy("查询条件"),
    "ids": gettext_lazy("记录ID"),
    "matched": gettext_lazy("是否比中"),
    "allowed": gettext_lazy("是否通过"),
    "note": gettext_lazy("备注"),
    "start": gettext_lazy("开始"),
    "end": gettext_lazy("结束"),
}

SOURCES = {
    "web": gettext_lazy("网页"),
    "api": gettext_lazy("接口"),
    "cli": gettext_lazy("命令行"),
    "task": gettext_lazy("后台任务"),
    "system": gettext_lazy("系统"),
}

EXPORT_HEADERS = (
    gettext_lazy("序号"),
    gettext_lazy("时间"),
    gettext_lazy("类别"),
    gettext_lazy("动作"),
    gettext_lazy("操作人账号"),
    gettext_lazy("操作人"),
    gettext_lazy("对象类型"),
    gettext_lazy("对象类型代码"),
    gettext_lazy("对象ID"),
    gettext_lazy("对象"),
    gettext_lazy("变更内容"),
    gettext_lazy("变更前（原始）"),
    gettext_lazy("变更后（原始）"),
    gettext_lazy("IP地址"),
    gettext_lazy("来源"),
    gettext_lazy("请求ID"),
)

_MISSING = object()


# ---- models and fields ---------------------------------------------------------------------


@lru_cache(maxsize=1024)  # bounded: the codes come from the trail and from the address bar
def model_of(object_type: str) -> type[models.Model] | None:
    """The model an ``object_type`` code names (None: a code that names no model)."""
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def type_label(object_type: str) -> str:
    """The Chinese name of an object type (重点人员), or the code when it names no model."""
    model = model_of(object_type) if object_type else None
    return str(model._meta.verbose_name) if model is not None else object_type


def _has_own_verbose_name(model) -> bool:
    # Internal tables (fact rows, counters) keep Django's English default: not for the picker.
    return "verbose_name" in model._meta.original_attrs


def type_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """The object types an auditor picks from: the platform's models by module, in the order
    of INSTALLED_APPS and of their declaration, each as (code, Chinese name)."""
    groups = []
    for config in apps.get_app_configs():
        if not config.name.startswith("huxiao."):
            continue
        choices = [
            (model._meta.label_lower, str(model._meta.verbose_name))
            for model in config.get_models()
            if _has_own_verbose_name(model)
        ]
        if choices:
            groups.append((str(config.verbose_name), choices))
    return groups


def resolve_type(text: str) -> list[str]:
    """The object-type codes that ``text`` names: a code (any case, as old links carry it), or
    a model's Chinese name (重点人员). A code of an installed module that names no model
    (an export of statistics, a watchlist check) is kept as it is. Empty: nothing matches."""
    text = (text or "").strip()
    if not text:
        return []
    code = text.lower()
    if model_of(code) is not None:
        return [code]
    app_label, dot, rest = code.partition(".")
    if dot and rest.replace("_", "").isalnum() and _installed(app_label):
        return [code]
    return [c for _group, choices in type_groups() for c, label in choices if label == text]


def _installed(app_label: str) -> bool:
    return any(c.label == app_label for c in apps.get_app_configs())


@cache
def _fields(model) -> dict[str, models.Field]:
    """A model's concrete fields by attname and by name (``organization_id`` and the
    ``organization`` a service may write)."""
    found: dict[str, models.Field] = {}
    for f in model._meta.concrete_fields:
        found[f.name] = f
        found[f.attname] = f
    return found


def field_of(model, key: str) -> models.Field | None:
    return _fields(model).get(key) if model is not None else None


def key_label(model, key: str) -> str:
    """The Chinese name of a key of ``before``/``after``: the field's verbose name, else a
    name from ``EXTRA_KEYS``, else the key itself."""
    f = field_of(model, key)
    if f is not None and str(f.verbose_name) != f.name.replace("_", " "):
        return str(f.verbose_name)
    return str(EXTRA_KEYS.get(key, key))


# ---- naming related records ------------------------------------------------------------------


@cache
def _name_expression(model):
    """How to read a record's name in SQL, or None when it is named by kind and number only."""
    if getattr(model, "audit_content_hidden", False):
        return None
    own = model._meta.concrete_fields
    # A record holding personal data (an encrypted field: a guard, a visitor) is not named by
    # a field of its own; an account is, by its holder's name.
    personal = model is not get_user_model() and any(getattr(f, "encrypted", False) for f in own)
    names = [] if personal else _name_fields(model)
    if not names:
        # A record that *is* another one (a school on its organisation's node) takes its name.
        for f in own:
            if f.one_to_one and _name_expression(f.related_model) is not None:
                names = [f"{f.name}__{n}" for n in _name_fields(f.related_model)]
                break
    if not names:
        return None
    parts = [NullIf(F(n), Value("")) for n in names]
    return Cast(Coalesce(*parts, Value("")), output_field=CharField())


def _name_fields(model) -> list[str]:
    fields = {f.name: f for f in model._meta.concrete_fields}
    return [
        n
        for n in NAME_FIELDS
        if isinstance(fields.get(n), models.CharField | models.TextField)
        and not getattr(fields[n], "encrypted", False)
    ]


def _pk_text(model, value) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | str) or value == HIDDEN:
        return None
    try:
        return str(model._meta.pk.to_python(value))
    except Exception:  # noqa: BLE001 — a value that is no key of the model names no record
        return None


def record_label(model, pk: str, name: str = "") -> str:
    kind = str(model._meta.verbose_name)
    if name:
        return _("%(kind)s %(name)s（#%(id)s）") % {"kind": kind, "name": name, "id": pk}
    return _("%(kind)s #%(id)s") % {"kind": kind, "id": pk}


# ---- what a row shows ------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """One value: ``text`` as the auditor reads it, ``code`` as the trail stores it."""

    text: str
    code: str

    @property
    def short(self) -> str:
        return _shorten(self.text, SHORT)

    @property
    def labelled(self) -> bool:
        return self.text != self.code


@dataclass(frozen=True)
class Change:
    key: str
    label: str
    before: Shown | None  # None: the key is absent on that side
    after: Shown | None

    def text(self, *, with_before: bool, limit: int = EXPORT_VALUE) -> str:
        after = _shorten(self.after.text, limit) if self.after is not None else "—"
        if not with_before:
            return f"{self.label}：{after}"
        before = _shorten(self.before.text, limit) if self.before is not None else "—"
        return f"{self.label}：{before} → {after}"


@dataclass
class Row:
    """An audit record with its labels, for the page and the export."""

    record: object
    kind_label: str
    action_label: str
    type_label: str
    actor_label: str
    source_label: str
    changes: list[Change] = field(default_factory=list)

    @property
    def shown(self) -> list[Change]:
        return self.changes[:SHOWN_CHANGES]

    @property
    def more(self) -> int:
        return max(0, len(self.changes) - SHOWN_CHANGES)

    @property
    def with_before(self) -> bool:
        return self.record.before is not None

    def summary(self) -> str:
        return "；".join(c.text(with_before=self.with_before) for c in self.changes)

    def export_values(self) -> tuple:
        r = self.record
        return (
            r.seq,
            r.ts,
            self.kind_label,
            self.action_label,
            r.actor_name,
            self.actor_label,
            self.type_label,
            r.object_type,
            r.object_id,
            r.object_repr,
            self.summary()[:CELL_MAX],
            json_text(r.before)[:CELL_MAX],
            json_text(r.after)[:CELL_MAX],
            r.ip,
            self.source_label,
            r.request_id,
        )


def json_text(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _code(value) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _local(text: str) -> str | None:
    try:
        value = dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%Y-%m-%d %H:%M:%S")


class Labeller:
    """Labels records batch by batch; the names of related records are read once per batch
    (one query) and remembered for the batches after it."""

    def __init__(self):
        self._names: dict[tuple[str, str], str] = {}
        # Translated once per labeller (an export labels ~100,000 values; gettext is not free).
        self._texts: dict[tuple, str] = {}

    def _text(self, key: tuple, make) -> str:
        text = self._texts.get(key)
        if text is None:
            text = self._texts[key] = make()
        return text

    def rows(self, records) -> list[Row]:
        records = list(records)
        self._read(self._wanted(records))
        return [self._row(r) for r in records]

    def batches(self, records, size: int = 1000):
        """Rows of an iterable of records, labelled ``size`` at a time."""
        iterator = iter(records)
        while batch := list(islice(iterator, size)):
            yield from self.rows(batch)

    # -- reading names -----------------------------------------------------------------------

    def _wanted(self, records) -> dict[type, set[str]]:
        wanted: dict[type, set[str]] = {}
        user_model = get_user_model()

        def want(model, value):
            if _name_expression(model) is None:
                return
            pk = _pk_text(model, value)
            if pk is not None and (model._meta.label_lower, pk) not in self._names:
                wanted.setdefault(model, set()).add(pk)

        for r in records:
            if r.actor_id is not None:
                want(user_model, r.actor_id)
            model = model_of(r.object_type)
            if model is None or getattr(model, "audit_content_hidden", False):
                continue
            for data in (r.before, r.after):
                if not isinstance(data, dict):
                    continue
                for key, value in data.items():
                    f = field_of(model, key)
                    if f is not None and f.is_relation and f.related_model is not ContentType:
                        want(f.related_model, value)
        return wanted

    def _read(self, wanted: dict[type, set[str]]) -> None:
        if not wanted:
            return
        models_in_order = list(wanted)
        parts = [
            model._base_manager.filter(pk__in=sorted(wanted[model]))
            .order_by()
            .annotate(
                hx_model=Cast(Value(index), output_field=IntegerField()),
                hx_pk=Cast("pk", output_field=CharField()),
                hx_name=_name_expression(model),
            )
            .values_list("hx_model", "hx_pk", "hx_name")
            for index, model in enumerate(models_in_order)
        ]
        query = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        for model in models_in_order:  # a record deleted since is named by its number
            for pk in wanted[model]:
                self._names[model._meta.label_lower, pk] = ""
        for index, pk, name in query:
            self._names[models_in_order[index]._meta.label_lower, pk] = name or ""

    # -- labelling ---------------------------------------------------------------------------

    def _related(self, model, value) -> str:
        pk = _pk_text(model, value)
        if pk is None:
            return _code(value)
        label = model._meta.label_lower
        return self._text(
            ("record", label, pk), lambda: record_label(model, pk, self._names.get((label, pk), ""))
        )

    def _choice(self, f, value, code: str) -> str:
        labels = self._texts.get(("choices", f))
        if labels is None:
            labels = self._texts["choices", f] = {k: str(v) for k, v in f.flatchoices}
        return labels.get(value, code) if isinstance(value, str | int) else code

    def value(self, model, key: str, value) -> Shown:
        code = _code(value)
        if value == HIDDEN:
            return Shown(HIDDEN, code)
        if value is None or value == "":
            return Shown(self._text(("empty",), lambda: _("（空）")), code)
        if isinstance(value, bool):
            return Shown(self._text(("bool", value), lambda: _("是") if value else _("否")), code)
        f = field_of(model, key)
        if f is None or (model is not None and getattr(model, "audit_content_hidden", False)):
            return Shown(code, code)
        if f.is_relation:
            if f.related_model is ContentType:
                return Shown(self._content_type(value), code)
            return Shown(self._related(f.related_model, value), code)
        if f.choices:
            return Shown(self._choice(f, value, code), code)
        if isinstance(f, models.DateTimeField) and isinstance(value, str):
            return Shown(_local(value) or code, code)
        return Shown(code, code)

    def _content_type(self, value) -> str:
        try:
            model = ContentType.objects.get_for_id(int(value)).model_class()
        except (ContentType.DoesNotExist, TypeError, ValueError):
            model = None
        return str(model._meta.verbose_name) if model is not None else _code(value)

    def changes(self, record) -> list[Change]:
        """The fields a record changed: for an update only those whose value differs; for a
        create or a delete, the fields present."""
        model = model_of(record.object_type)
        before = record.before if isinstance(record.before, dict) else {}
        after = record.after if isinstance(record.after, dict) else {}
        found = []
        for key in dict.fromkeys([*after, *before]):
            b, a = before.get(key, _MISSING), after.get(key, _MISSING)
            if b == a:
                continue
            found.append(
                Change(
                    key=key,
                    label=self._text(("key", model, key), lambda key=key: key_label(model, key)),
                    before=None if b is _MISSING else self.value(model, key, b),
                    after=None if a is _MISSING else self.value(model, key, a),
                )
            )
        return found

    def _row(self, record) -> Row:
        actor = ""
        if record.actor_id is not None:
            actor = self._names.get((get_user_model()._meta.label_lower, str(record.actor_id)), "")
        meta = type(record)._meta
        return Row(
            record=record,
            kind_label=self._choice(meta.get_field("kind"), record.kind, record.kind),
            action_label=self._choice(meta.get_field("action"), record.action, record.action),
            type_label=self._text(
                ("type", record.object_type), lambda: type_label(record.object_type)
            ),
            actor_label=actor,
            source_label=self._text(
                ("source", record.source), lambda: str(SOURCES.get(record.source, record.source))
            ),
            changes=self.changes(record),
        )
