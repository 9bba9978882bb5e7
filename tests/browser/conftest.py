"""End-to-end tests in Debian's headless Chromium, driven by Playwright for Python.

Every page opened here fails its test on a console error, an uncaught exception, or a
request to anything but the live server on 127.0.0.1 (users sit on intranets without
internet, issue 7). Screenshots of each step go to test-artifacts/screenshots/.
"""

import os
import re
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db.backends.sqlite3.base import SQLiteCursorWrapper
from django.test.testcases import LiveServerThread
from django.urls import reverse

from drafts.access import DRAFTER_GROUP
from tests.factories import make_speech, make_user

# Playwright's sync API runs an event loop in this thread, which trips Django's guard
# against ORM calls from async code although every call here is synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
# The live server listens on 127.0.0.1, the only host a page may reach.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
AXE = ARTIFACTS / "node" / "node_modules" / "axe-core" / "axe.min.js"
# Flags that keep Chromium from calling home (updates, sync, safe browsing lists...).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "pw-someone-123"  # tests.factories.make_user


class OneRequestAtATime(ThreadedWSGIServer):
    """The live server, answering one request at a time.

    On the in-memory SQLite test database every thread of the live server, and the
    test itself, share one connection, where two requests at once (an autosave beside
    a presence beat) or a test's own query during a request meet "database table is
    locked". Locks between real connections are tested against gunicorn on a SQLite
    file and on PostgreSQL (test_concurrent_edits.py, test_two_servers.py); here the
    pages only need their answers.
    """

    serving = threading.RLock()

    def set_app(self, application):
        def one_at_a_time(environ, start_response):
            with self.serving:
                return application(environ, start_response)

        super().set_app(one_at_a_time)


def between_requests(execute):
    """A query of the test's own thread waits for the request being answered."""

    def wrapped(self, *args, **kwargs):
        with OneRequestAtATime.serving:
            return execute(self, *args, **kwargs)

    return wrapped


database = settings.DATABASES["default"]
if database["ENGINE"].endswith("sqlite3") and not database.get("TEST", {}).get("NAME"):
    LiveServerThread.server_class = OneRequestAtATime
    SQLiteCursorWrapper.execute = between_requests(SQLiteCursorWrapper.execute)
    SQLiteCursorWrapper.executemany = between_requests(SQLiteCursorWrapper.executemany)


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(pytest.mark.skip(reason=f"{CHROMIUM} is not installed"))


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class PageWatch:
    """What went wrong in the pages of one test: console errors, uncaught exceptions and
    requests that tried to leave the live server."""

    def __init__(self):
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.outside_requests: list[str] = []
        # Responses the test provokes on purpose (a 409 conflict): Chromium logs every
        # 4xx as "Failed to load resource", which is then not a fault of the page.
        self.expected_statuses: set[int] = set()
        # Network errors the test causes on purpose (a cut network, an aborted request).
        self.expected_failures: set[str] = set()

    def on_console(self, message):
        if message.type != "error":
            return
        status = re.search(r"status of (\d{3})", message.text)
        if status and int(status.group(1)) in self.expected_statuses:
            return
        if any(failure in message.text for failure in self.expected_failures):
            return
        self.console_errors.append(f"{message.text} ({message.location.get('url')})")

    def route(self, route):
        parts = urlsplit(route.request.url)
        if parts.scheme in ("http", "https") and parts.hostname == "127.0.0.1":
            route.continue_()
        else:
            self.outside_requests.append(route.request.url)
            route.abort()

    def check(self):
        assert self.outside_requests == [], "requests left 127.0.0.1"
        assert self.page_errors == [], "uncaught exceptions in the page"
        assert self.console_errors == [], "console errors"


@pytest.fixture
def watch():
    return PageWatch()


@pytest.fixture
def new_page(chromium, watch, live_server):
    """``new_page()`` opens a page in a fresh browser context (its own cookies and
    storage: another person at another desk); all are watched and closed at the end."""
    contexts = []

    def open_page(width: int = 1400, height: int = 900, timezone_id: str = "Asia/Shanghai"):
        context = chromium.new_context(
            viewport={"width": width, "height": height},
            locale="zh-CN",
            # Another one: a desk whose clock is not the server's (TIME_ZONE).
            timezone_id=timezone_id,
            accept_downloads=True,
            reduced_motion="reduce",  # no smooth scrolling: jumps land before the screenshot
        )
        context.set_default_timeout(15_000)
        context.route("**/*", watch.route)
        page = context.new_page()
        page.on("console", watch.on_console)
        page.on("pageerror", lambda error: watch.page_errors.append(str(error)))
        contexts.append(context)
        return page

    yield open_page
    for context in contexts:
        context.close()
    watch.check()


@pytest.fixture
def screenshot(request):
    """``screenshot(page, "step")`` saves a PNG named after the test and step: the
    viewport, and the whole page beside it; ``screenshot(locator, "step")`` one element."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    counter = iter(range(1, 100))

    def take(target, step: str) -> Path:
        path = SCREENSHOTS / f"{request.node.name}-{next(counter):02d}-{step}.png"
        if hasattr(target, "goto"):  # a page
            target.screenshot(path=str(path))
            target.screenshot(path=str(path.with_suffix(".full.png")), full_page=True)
        else:
            target.screenshot(path=str(path))
        return path

    return take


@pytest.fixture
def make_person(transactional_db):
    return lambda username, role, **extra: make_user(username, role=role, **extra)


# The people and the speech most tests use: a drafter, a colleague beside them, and a
# speech of the drafter's (a test file defines its own where it needs another).
@pytest.fixture
def drafter(make_person):
    return make_person("drafter1", DRAFTER_GROUP, first_name="小起草")


@pytest.fixture
def colleague(make_person):
    return make_person("drafter2", DRAFTER_GROUP, first_name="张三")


@pytest.fixture
def speech(drafter):
    return make_speech(owner=drafter)


@pytest.fixture
def log_in(live_server):
    """``log_in(page, username)`` through the login form, landing on 我的待办."""

    def submit(page, username: str, password: str = PASSWORD) -> None:
        page.goto(live_server.url + reverse("login"))
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(live_server.url + reverse("drafts:home"))

    return submit


@pytest.fixture
def axe_violations():
    """``axe_violations(page)``: the serious and critical findings of axe-core on the
    page. axe-core comes from the npm registry at test time (.ci/run), never from the app."""
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed: npm install --prefix {AXE.parents[2]} axe-core")
    return run_axe


def run_axe(page) -> list[dict]:
    # Evaluated through the DevTools protocol, not added as a <script>: the app's
    # Content-Security-Policy (script-src 'self') rightly refuses inline scripts.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
            resultTypes: ["violations"],
        })"""
    )
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
