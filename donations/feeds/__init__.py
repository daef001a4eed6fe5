"""Bank feeds: SePay and Casso push each transaction of an official account.

``base`` holds what both providers share, ``sepay`` and ``casso`` what each documents
(authentication and payload), ``services`` the writes: storing a delivery once,
recording what a code makes certain, the committee's settings and key rotation."""
