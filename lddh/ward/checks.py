"""Start-up checks of the settings that the code cannot refuse on its own.

``SITE_URL`` is printed on paper: every receipt's QR code and every e-receipt's link
start with it. A host that ``ALLOWED_HOSTS`` refuses answers each scan with "Bad
Request"; a loopback address or plain http in production leads a resident's phone
nowhere, or to a page anyone on the way can alter. Django runs these checks before
``runserver``, ``migrate`` and ``check``; ``lddh.startup`` runs them before gunicorn
serves. An error (an address that is no address, a host the server refuses) stops
start-up naming the variable; a warning (loopback or plain http with DEBUG off, as a
benchmark on one machine has) is printed and the server starts."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.http.request import split_domain_port, validate_host

# What Django accepts when DEBUG is on and ALLOWED_HOSTS is empty.
DEBUG_HOSTS = [".localhost", "127.0.0.1", "[::1]"]


def _loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def site_url_problems(site_url: str, allowed_hosts: list[str], debug: bool) -> list:
    """The errors and warnings of a SITE_URL under these ALLOWED_HOSTS and DEBUG."""
    parts = urlsplit(site_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return [
            Error(
                f"SITE_URL: expected an address such as https://quy.example.vn, got {site_url!r}",
                hint="It is printed in every receipt's QR code.",
                id="lddh.E001",
            )
        ]
    host, _port = split_domain_port(parts.netloc.rpartition("@")[2])
    problems = []
    allowed = allowed_hosts or (DEBUG_HOSTS if debug else [])
    if not validate_host(host, allowed):
        problems.append(
            Error(
                f"SITE_URL: its host {host!r} is not in ALLOWED_HOSTS ({', '.join(allowed)})",
                hint="A receipt's QR code would answer 'Bad Request'. Add the host to "
                "ALLOWED_HOSTS or set SITE_URL to the address this server answers on.",
                id="lddh.E002",
            )
        )
    if not debug and _loopback(host):
        problems.append(
            Warning(
                f"SITE_URL: {site_url} is this machine's own address; a resident's phone "
                "scanning a receipt cannot reach it",
                hint="Set SITE_URL to the public address, e.g. https://quy.example.vn.",
                id="lddh.W003",
            )
        )
    if not debug and parts.scheme == "http":
        problems.append(
            Warning(
                f"SITE_URL: {site_url} is plain http in production",
                hint="Receipts printed now keep this address for years: use https.",
                id="lddh.W004",
            )
        )
    return problems


@register(Tags.security, deploy=False)
def check_site_url(app_configs=None, **kwargs) -> list:
    return site_url_problems(settings.SITE_URL, list(settings.ALLOWED_HOSTS), settings.DEBUG)
