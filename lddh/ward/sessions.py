"""Database sessions whose expiry is refreshed at most once a minute.

``SESSION_SAVE_EVERY_REQUEST`` keeps an active session alive (its expiry moves to "now +
SESSION_COOKIE_AGE" on every request) so that only idle sessions expire, but it costs
an UPDATE and a COMMIT on every page. Here an unchanged session is written only when
its stored expiry is more than ``REFRESH_AFTER`` older than the new one: idle expiry
stays exact to within a minute, and a page in a busy minute costs no write.
"""

from __future__ import annotations

import datetime

from django.contrib.sessions.backends import db

from lddh.ward.prepared import prepared

REFRESH_AFTER = datetime.timedelta(seconds=60)


class SessionStore(db.SessionStore):
    _stored_expiry: datetime.datetime | None = None

    def _get_session_from_db(self):
        with prepared():  # one row by its key, on every page
            stored = super()._get_session_from_db()
        self._stored_expiry = stored.expire_date if stored is not None else None
        return stored

    def save(self, must_create=False):
        if (
            not must_create
            and not self.modified
            and self.session_key is not None
            and self._stored_expiry is not None
            and self.get_expiry_date() - self._stored_expiry < REFRESH_AFTER
        ):
            return  # unchanged and refreshed less than a minute ago
        super().save(must_create=must_create)
        self._stored_expiry = self.get_expiry_date()
