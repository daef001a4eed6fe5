"""Every write to the register: keyword-only, atomic, validated,
audited with the values before and after.

Rights are checked here too, not only in the views: a leader's change of category or
status, or a new household, can only enter as a proposal; only ward staff and the
standing committee apply changes, and never to a proposal of their own.
"""

from households.services.common import (
    MSG_CCCD,
    MSG_CCCD_TAKEN,
    MSG_NOT_PROPOSER,
    MSG_YEAR_FUTURE,
    MSG_YEAR_OLD,
    SENSITIVE_FIELDS,
    audit_values,
    check_birth_year,
    clean_cccd,
    duplicate_message,
    find_duplicate,
    validate_classification,
)
from households.services.details import (
    member_add,
    member_remove,
    member_update,
    need_add,
    need_update,
    plan_item_add,
    plan_item_update,
)
from households.services.proposals import proposal_accept, proposal_return, proposal_submit
from households.services.register import (
    household_classify,
    household_create,
    household_exit,
    household_import,
    household_reactivate,
    household_update,
)
from households.services.reviews import review_record, review_round_complete
from households.services.rounds import (
    REVIEWED_SET_CHANGED,
    round_approve,
    round_create,
    round_pay,
    supports_fingerprint,
)
from households.services.scans import (
    MSG_NOT_UPLOADER,
    can_review_scans,
    redacted_scan_approve,
    redacted_scan_reject,
    redacted_scan_upload,
    redacted_scan_withdraw,
)
from households.services.support import (
    DOCUMENT_TYPE,
    ItemLine,
    household_set_public_consent,
    support_approve,
    support_attach,
    support_cancel,
    support_follow_up,
    support_pay,
    support_propose,
    support_reject,
    support_update,
)

__all__ = [
    "DOCUMENT_TYPE",
    "MSG_CCCD",
    "MSG_CCCD_TAKEN",
    "MSG_NOT_PROPOSER",
    "MSG_NOT_UPLOADER",
    "MSG_YEAR_FUTURE",
    "MSG_YEAR_OLD",
    "REVIEWED_SET_CHANGED",
    "SENSITIVE_FIELDS",
    "ItemLine",
    "audit_values",
    "can_review_scans",
    "check_birth_year",
    "clean_cccd",
    "duplicate_message",
    "find_duplicate",
    "household_classify",
    "household_create",
    "household_exit",
    "household_import",
    "household_reactivate",
    "household_set_public_consent",
    "household_update",
    "member_add",
    "member_remove",
    "member_update",
    "need_add",
    "need_update",
    "plan_item_add",
    "plan_item_update",
    "proposal_accept",
    "proposal_return",
    "proposal_submit",
    "redacted_scan_approve",
    "redacted_scan_reject",
    "redacted_scan_upload",
    "redacted_scan_withdraw",
    "review_record",
    "review_round_complete",
    "round_approve",
    "round_create",
    "round_pay",
    "support_approve",
    "support_attach",
    "support_cancel",
    "support_follow_up",
    "support_pay",
    "support_propose",
    "support_reject",
    "support_update",
    "supports_fingerprint",
    "validate_classification",
]
