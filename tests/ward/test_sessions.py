"""Sessions: an active one stays alive, an idle one expires, and an unchanged session
is written at most once a minute (lddh/ward/sessions.py)."""

import datetime

from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

PAGE = "/quan-ly/ung-ho/"


def _session(client) -> Session:
    return Session.objects.get(session_key=client.cookies["sessionid"].value)


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith(("UPDATE", "INSERT"))]


def _signed_in(world, client):
    client.force_login(world.users["staff"])
    assert client.get(PAGE).status_code == 200
    return _session(client)


def test_an_unchanged_session_is_not_written_on_every_page(world, client):
    _signed_in(world, client)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PAGE).status_code == 200
    assert not [sql for sql in _writes(queries) if "django_session" in sql]


def test_an_active_session_is_refreshed_after_a_minute(world, client, settings):
    session = _signed_in(world, client)
    # As if the last refresh was two minutes ago.
    older = session.expire_date - datetime.timedelta(minutes=2)
    Session.objects.filter(pk=session.pk).update(expire_date=older)
    assert client.get(PAGE).status_code == 200
    refreshed = _session(client).expire_date
    expected = timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert abs((refreshed - expected).total_seconds()) < 30


def test_an_idle_session_expires(world, client):
    session = _signed_in(world, client)
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "/dang-nhap/" in response["Location"]


def test_a_changed_session_is_written_at_once(world, client):
    _signed_in(world, client)
    session = client.session
    session["marker"] = "x"
    session.save()
    stored = _session(client).get_decoded()
    assert stored["marker"] == "x"
