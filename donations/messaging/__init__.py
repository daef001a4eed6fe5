"""E-receipts to donors: the email, the text-message gateways, opt-out links and the task
that sends. The writes (queue, send, resend, opt-out) are services in
``donations.services.messages``."""
