"""What the donations forms share: the date input, the board member choice, and which
field shows a service error."""

from __future__ import annotations

from django import forms

__all__ = [
    "DATE_INPUT_FORMATS",
    "DATE_WIDGET",
    "ERROR_FIELDS",
    "BoardMemberChoiceField",
]

# Explicit, so that parsing never depends on the browser's language (LocaleMiddleware
# would switch to English formats, where 05/01/2025 is the 1st of May).
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
DATE_WIDGET = forms.DateInput(
    format="%d/%m/%Y",
    attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"},
)


# Which form field shows a service error, by the error's code (add_service_error).
ERROR_FIELDS = {
    "amount": "amount",
    "date": "date",
    "campaign": "campaign",
    "channel": "channel",
    "purpose": "purpose",
    "beneficiary": "beneficiary",
    "fund": "fund",
    "account": "account",
    "credited_board_member": "credited_board_member",
    "name": "new_name",
    "group": "new_group",
    "source": "new_source",
    "tax_code": "new_tax_code",
    "phone": "new_phone",
    "late_reason": "late_reason",
    "email": "new_email",
    "contact_consent": "new_contact_consent",
    "consent_how": "new_consent_how",
}


class BoardMemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.campaign.year})"
