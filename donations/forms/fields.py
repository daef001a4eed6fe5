"""What the donations forms share: the board member choice, and which field shows a
service error."""

from __future__ import annotations

from django import forms

__all__ = [
    "ERROR_FIELDS",
    "BoardMemberChoiceField",
]


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
    "pledge": "pledge",
}


class BoardMemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.campaign.year})"
