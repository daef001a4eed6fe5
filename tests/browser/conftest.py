"""Browser tests: Playwright for Python driving Debian's Chromium (never a downloaded
browser). Without /usr/bin/chromium they are skipped with a clear message, except under
CI (CI=true), where a missing browser is a failure."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import World

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
# itself (creating data, reading results) are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("LDDH_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("LDDH_SCREENSHOTS", "test-artifacts/screenshots")).resolve()
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 860}


def _chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is not None


def pytest_collection_modifyitems(config, items):
    if _chromium_available():
        return
    message = (
        f"browser tests skipped: no Chromium at {CHROMIUM}. Install it with "
        "`apt-get install chromium` (or set LDDH_CHROMIUM to its path)."
    )
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(message.replace("skipped", "cannot run under CI"))
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=message))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_world(transactional_db) -> World:
    """The World, committed so the live server's thread sees it."""
    return World()


class Screens:
    """Saves numbered screenshots of one test under test-artifacts/screenshots/<test>/."""

    def __init__(self, name: str):
        self.folder = SCREENSHOTS / name
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def shot(self, page, label: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def screens(request) -> Screens:
    return Screens(request.node.name)


@pytest.fixture
def new_page(browser, live_server):
    """A fresh browser context per call: `new_page(viewport=PHONE)`."""
    contexts = []

    def make(viewport=DESKTOP):
        context = browser.new_context(viewport=viewport, locale="vi-VN")
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.base_url = live_server.url
        return page

    yield make
    for context in contexts:
        context.close()


def login(page, username: str, password: str = "lddh2024") -> None:
    page.goto(page.base_url + "/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(page.base_url + "/quan-ly/")


@pytest.fixture
def demo(transactional_db):
    """The whole demo (manage.py seed_demo), committed for the live server."""
    from django.core.management import call_command

    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
