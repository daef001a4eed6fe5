"""Every message a form shows is specific Vietnamese that names its field.

Also: no field carries a ``maxlength`` attribute, which would cut a pasted text silently;
a text too long is refused with the field's limit.

Django's own messages ("Trường này là bắt buộc.", "Nhập một số nguyên.") and its empty
choice "---------" say nothing about which box is wrong or what to pick. ``speak`` replaces
each of them, on one form's fields, by a sentence built from the field's label; a message
a form wrote itself is kept. ``lddh.ward.forms.WardForm`` and ``WardModelForm`` call it
once the form is built, so every form of the project speaks the same way.
"""

from __future__ import annotations

import functools

from django import forms
from django.core import validators
from django.utils.translation import override

EMPTY_CHOICE = "---------"


def field_name(label) -> str:
    """'Họ tên chủ hộ' → 'họ tên chủ hộ' for the middle of a sentence; an abbreviation
    ('CCCD', 'MST') keeps its capitals."""
    text = " ".join(str(label or "").split()).rstrip(":")
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text or "mục này"


def _label(label) -> str:
    text = " ".join(str(label or "").split()).rstrip(":")
    return text or "Mục này"


def _escape(text: str) -> str:
    """A label inside a message that Django formats with % parameters."""
    return text.replace("%", "%%")


def _field_classes() -> list[type]:
    """Every form field class whose defaults we know: Django's, and what subclasses them."""
    seen: list[type] = []
    todo = [forms.Field]
    while todo:
        cls = todo.pop()
        if cls not in seen:
            seen.append(cls)
            todo.extend(cls.__subclasses__())
    return seen


_VALIDATORS = (
    validators.MaxLengthValidator,
    validators.MinLengthValidator,
    validators.MaxValueValidator,
    validators.MinValueValidator,
    validators.StepValueValidator,
    validators.ProhibitNullCharactersValidator,
    validators.EmailValidator,
    validators.URLValidator,
    validators.FileExtensionValidator,
    validators.RegexValidator,
)


@functools.cache
def _defaults_in(language: str) -> frozenset[str]:
    with override(language):
        texts = {
            str(message)
            for cls in _field_classes()
            for klass in cls.__mro__
            for message in getattr(klass, "default_error_messages", {}).values()
        }
        texts.update(str(v.message) for v in _VALIDATORS)
        texts.update(str(m) for m in validators.DecimalValidator.messages.values())
        texts.add(str(validators.integer_validator.message))
    return frozenset(texts)


@functools.cache
def django_defaults() -> frozenset[str]:
    """Django's generic field and validator messages, in English and in Vietnamese."""
    return _defaults_in("en") | _defaults_in("vi")


def _is_default(message) -> bool:
    return str(message) in django_defaults()


def _kind(field: forms.Field) -> str:
    if isinstance(field, forms.BooleanField):
        return "tick"
    if isinstance(field, forms.FileField):
        return "file"
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return "many"
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        return "choice"
    if isinstance(field.widget, forms.RadioSelect | forms.Select):
        return "choice"
    return "text"


def messages_for(field: forms.Field) -> dict[str, str]:
    """The Vietnamese message for each error a field of this kind can raise."""
    name = _escape(field_name(field.label))
    label = _escape(_label(field.label))
    kind = _kind(field)
    required = {
        "tick": f"Hãy đánh dấu ô “{label}”.",
        "file": f"Hãy chọn {name}.",
        "many": f"Hãy chọn ít nhất một mục ở “{label}”.",
        "choice": f"Hãy chọn {name}.",
        "text": f"Hãy nhập {name}.",
    }[kind]
    # Django's DecimalField and FloatField are IntegerFields too: they come first.
    if isinstance(field, forms.DecimalField | forms.FloatField):
        invalid = f"{label} phải là một số, ví dụ 2 hoặc 1,5."
    elif isinstance(field, forms.IntegerField):
        invalid = f"{label} phải là số nguyên, chỉ gồm chữ số."
    elif isinstance(field, forms.DateField):
        invalid = f"{label}: hãy ghi một ngày có thật theo dạng dd/mm/yyyy, ví dụ 05/01/2025."
    elif isinstance(field, forms.EmailField):
        invalid = f"{label} không đúng dạng địa chỉ thư điện tử, ví dụ ten@gmail.com."
    elif isinstance(field, forms.FileField):
        invalid = f"{label}: không đọc được tệp gửi lên, hãy chọn lại tệp."
    else:
        invalid = f"{label} không hợp lệ."
    messages = {
        "required": required,
        "invalid": invalid,
        "invalid_choice": (
            f"{label}: lựa chọn “%(value)s” không có trong danh sách, hãy chọn lại."
            if not isinstance(field, forms.ModelChoiceField)
            or isinstance(field, forms.ModelMultipleChoiceField)
            else f"{label}: lựa chọn không còn trong danh sách, hãy chọn lại."
        ),
        "invalid_list": f"{label}: hãy chọn trong danh sách.",
        "list": f"{label}: hãy chọn trong danh sách.",
        "invalid_pk_value": f"{label}: “%(pk)s” không có trong danh sách.",
        "max_length": f"{label} dài quá: tối đa %(limit_value)d ký tự (đang có %(show_value)d).",
        "min_length": f"{label} ngắn quá: ít nhất %(limit_value)d ký tự (đang có %(show_value)d).",
        "max_value": f"{label} không được lớn hơn %(limit_value)s.",
        "min_value": f"{label} không được nhỏ hơn %(limit_value)s.",
        "step_size": f"{label} phải là bội số của %(limit_value)s.",
        "max_digits": f"{label}: tối đa %(max)s chữ số.",
        "max_decimal_places": f"{label}: tối đa %(max)s chữ số sau dấu phẩy.",
        "max_whole_digits": f"{label}: tối đa %(max)s chữ số trước dấu phẩy.",
        "missing": f"{label}: chưa nhận được tệp, hãy chọn lại tệp.",
        "empty": f"{label}: tệp gửi lên rỗng, hãy chọn tệp khác.",
        "contradiction": f"{label}: hãy chọn tệp mới hoặc bỏ tệp cũ, không làm cả hai.",
        "null_characters_not_allowed": f"{label} có ký tự không hợp lệ, hãy gõ lại.",
        "invalid_image": f"{label}: tệp không phải ảnh, hãy chọn ảnh JPEG hoặc PNG.",
        "overflow": f"{label}: khoảng thời gian quá lớn.",
        "incomplete": f"Hãy nhập đủ {name}.",
    }
    # Django formats a message with % only when it has parameters.
    return {
        code: text if "%(" in text else text.replace("%%", "%") for code, text in messages.items()
    }


def empty_choice(field: forms.Field, *, filtering: bool) -> str:
    """What the empty line of a list says: what to pick, or that a filter takes all."""
    if filtering:
        return "Tất cả"
    name = field_name(field.label)
    return f"— Chọn {name} —" if field.required else f"— Chọn {name} (nếu có) —"


def _replace_empty_choice(field: forms.Field, label: str) -> None:
    if getattr(field, "empty_label", None) == EMPTY_CHOICE:
        field.empty_label = label
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        choices = list(field.choices)
        if any(value == "" and str(text) == EMPTY_CHOICE for value, text in choices):
            field.choices = [
                (value, label if value == "" and str(text) == EMPTY_CHOICE else text)
                for value, text in choices
            ]


def speak(form: forms.BaseForm, *, filtering: bool = False) -> None:
    """Replace, on every field of ``form``, Django's generic messages and empty choice."""
    for field in form.fields.values():
        specific = messages_for(field)
        # What an earlier call wrote is written again: a form may rename a field after.
        ours = getattr(field, "spoken_messages", {})
        for code, message in list(field.error_messages.items()):
            if _is_default(message) or ours.get(code) == message:
                field.error_messages[code] = specific.get(
                    code, f"{_label(field.label)} không hợp lệ."
                )
        # Validators (length, range) take a field's message of the same code.
        for validator in field.validators:
            code = getattr(validator, "code", None)
            if code in specific and (
                code not in field.error_messages or ours.get(code) == field.error_messages[code]
            ):
                field.error_messages[code] = specific[code]
        field.spoken_messages = {
            code: message
            for code, message in field.error_messages.items()
            if message in specific.values() or message == f"{_label(field.label)} không hợp lệ."
        }
        _replace_empty_choice(field, empty_choice(field, filtering=filtering))
        # A browser's maxlength cuts a pasted text without a word; the server says
        # instead how long the field may be.
        field.widget.attrs.pop("maxlength", None)
