"""One helper puts a service's errors on a page's form: on the field, or above the form."""

from django import forms
from django.core.exceptions import ValidationError

from huxiao.core.forms import apply_service_errors


class _Form(forms.Form):
    name = forms.CharField(required=False)
    school_id = forms.IntegerField(required=False)


def _bound():
    form = _Form(data={"name": "x"})
    assert form.is_valid()
    return form


def test_it_puts_each_message_on_the_field_of_the_same_name_or_its_alias():
    form = _bound()
    exc = ValidationError({"name": ["名称重复。", "名称过长。"], "school": "学校不在范围内。"})
    apply_service_errors(form, exc, aliases={"school": "school_id"})
    assert form.errors == {
        "name": ["名称重复。", "名称过长。"],
        "school_id": ["学校不在范围内。"],
    }


def test_it_keeps_what_the_form_has_no_field_for_above_the_form():
    form = _bound()
    apply_service_errors(form, ValidationError({"deadline": "期限已过。"}))
    assert form.non_field_errors() == ["期限已过。"]
    form = _bound()
    apply_service_errors(form, ValidationError("状态已变化。"))
    assert form.non_field_errors() == ["状态已变化。"]
