"""The rules of online payment, as callers import them; one module per topic:

- payments/lifecycle.py: what may be paid, starting a payment, the provider's messages and
  the state changes (each with its PaymentEvent);
- payments/reconciliation.py: the payments left in progress are settled;
- payments/export.py: batches of confirmed payments for the ERP (CSV and API lines);
- payments/tokens.py: the API's integration tokens.
"""

from payments.export import (
    ExportLine,
    batch_csv,
    export_confirmed_payments,
    export_lines,
)
from payments.lifecycle import (
    IN_PROGRESS,
    PAYMENT_CATEGORY,
    PAYMENT_LABEL,
    PROVIDER_UNAVAILABLE_MESSAGE,
    RANK,
    AmountOutOfRange,
    NotificationReply,
    PaymentRefused,
    State,
    apply_result,
    begin_checkout,
    create_payment,
    locked_payment,
    mark_expired,
    mark_failed,
    mark_paid,
    mark_pending,
    payable_range,
    payment_page_url,
    payments_in_progress,
    provider_config,
    range_message,
    receive_notification,
    record_event,
    refuse_result,
    result_problem,
)
from payments.reconciliation import (
    CREATED_LIFETIME,
    PAYFIP_STATUS_AFTER,
    PENDING_LIMIT,
    SYSTEMPAY_PAGE_LIFETIME,
    ReconcileReport,
    is_reconciliation_event,
    reconcile_pending,
    reconciliation_events,
)
from payments.tokens import (
    authenticate_api_token,
    create_api_token,
)

__all__ = [
    "CREATED_LIFETIME",
    "IN_PROGRESS",
    "PAYFIP_STATUS_AFTER",
    "PAYMENT_CATEGORY",
    "PAYMENT_LABEL",
    "PENDING_LIMIT",
    "PROVIDER_UNAVAILABLE_MESSAGE",
    "RANK",
    "SYSTEMPAY_PAGE_LIFETIME",
    "AmountOutOfRange",
    "ExportLine",
    "NotificationReply",
    "PaymentRefused",
    "ReconcileReport",
    "State",
    "apply_result",
    "authenticate_api_token",
    "batch_csv",
    "begin_checkout",
    "create_api_token",
    "create_payment",
    "export_confirmed_payments",
    "export_lines",
    "is_reconciliation_event",
    "locked_payment",
    "mark_expired",
    "mark_failed",
    "mark_paid",
    "mark_pending",
    "payable_range",
    "payment_page_url",
    "payments_in_progress",
    "provider_config",
    "range_message",
    "receive_notification",
    "reconcile_pending",
    "reconciliation_events",
    "record_event",
    "refuse_result",
    "result_problem",
]
