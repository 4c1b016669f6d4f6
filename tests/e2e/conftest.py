"""Browser fixtures: one Chromium for all browser tests, a fresh context per test, bound to the live server.

Every test under tests/e2e is marked `e2e`. Without Debian's chromium they are all skipped with that reason:
we never download a browser.

Each test's pages are watched for console errors, uncaught exceptions and failed same-origin requests; a test
that otherwise passes fails if any occurred, unless it said which it expected (`browser_log.allow(...)`).
When a test fails, a full-page screenshot of every page it left open is saved under test-results/.
"""

import os
import re
import shutil
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .helpers import DESKTOP

E2E_DIR = Path(__file__).parent
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
CHROMIUM_ARGS = [
    # Tests run as root in containers, where Chromium's sandbox cannot start.
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    # Keep the browser from talking to anything but the live server.
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
DEFAULT_TIMEOUT_MS = 5_000
RESULTS_DIR_NAME = "test-results"

LOG_KEY = pytest.StashKey["BrowserLog"]()
CONTEXTS_KEY = pytest.StashKey[list]()


def pytest_collection_modifyitems(config, items):
    skip = pytest.mark.skip(reason="Debian's chromium is not installed: apt-get install chromium")
    for item in items:
        if E2E_DIR in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)
            if CHROMIUM is None:
                item.add_marker(skip)


@dataclass
class BrowserLog:
    """What went wrong in the browser during one test, seen from the live server's origin."""

    origin: str
    problems: list[str] = field(default_factory=list)
    allowed: list[tuple[int, str]] = field(default_factory=list)

    def allow(self, status, path):
        """Expect a same-origin response with this status at this path (e.g. the 404 page)."""
        self.allowed.append((status, path))

    def _same_origin(self, url):
        return url.startswith(self.origin + "/") or url == self.origin

    def _is_allowed(self, status, url):
        path = urlsplit(url).path
        return any(status == s and path == p for s, p in self.allowed)

    def watch(self, page):
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught exception on {page.url}: {error}"))
        page.on("response", self._on_response)
        page.on("requestfailed", self._on_request_failed)

    def _on_console(self, message):
        if message.type != "error":
            return
        url = message.location.get("url", "")
        # Chromium logs every >= 400 response as a console error too; expected ones are not problems.
        if message.text.startswith("Failed to load resource") and any(urlsplit(url).path == p for _, p in self.allowed):
            return
        self.problems.append(f"console error at {url}: {message.text}")

    def _on_response(self, response):
        unexpected = not self._is_allowed(response.status, response.url)
        if response.status >= 400 and self._same_origin(response.url) and unexpected:
            self.problems.append(f"HTTP {response.status} for {response.request.method} {response.url}")

    def _on_request_failed(self, request):
        # A navigation that replaces a page still loading is aborted on purpose; anything else is a problem.
        if self._same_origin(request.url) and request.failure != "net::ERR_ABORTED":
            self.problems.append(f"request failed: {request.method} {request.url}: {request.failure}")


# One browser for all the browser tests. The scope is this package rather than the session because
# Playwright's event loop must stop when the browser tests end: see `playwright_instance`.
@pytest.fixture(scope="package")
def playwright_instance():
    """Playwright's sync API, with Django told that the ORM calls made meanwhile really are synchronous.

    From start() to stop() Playwright keeps an asyncio event loop running in the test thread; Django sees it and
    refuses ORM calls (SynchronousOnlyOperation). DJANGO_ALLOW_ASYNC_UNSAFE says the calls are safe. It is
    unset again afterwards: later tests must not inherit it (`check --deploy` rightly refuses it).
    """
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    manager = sync_playwright().start()
    yield manager
    manager.stop()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def viewport():
    """The size of the window each test's pages open at; parametrize `viewport` to change it."""
    return DESKTOP


@pytest.fixture
def browser_log(live_server, request):
    log = BrowserLog(origin=live_server.url)
    request.node.stash[LOG_KEY] = log
    return log


@pytest.fixture
def browser_context(browser, live_server, viewport, browser_log, request):
    """A fresh context (cookies, storage) per test; `page.goto("/")` opens the live server's home page."""
    context = browser.new_context(base_url=live_server.url, viewport=viewport, locale="en-GB")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS * 2)
    context.on("page", browser_log.watch)
    request.node.stash.setdefault(CONTEXTS_KEY, []).append(context)
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    return browser_context.new_page()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    log = item.stash.get(LOG_KEY, None)
    if log is not None and log.problems:
        raise AssertionError("The browser reported problems:\n" + "\n".join(f"  - {p}" for p in log.problems))
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed and report.when in ("setup", "call"):
        saved = _save_screenshots(item)
        if saved:
            report.sections.append(("screenshots", "\n".join(saved)))
    return report


def _save_screenshots(item):
    """Save a full-page screenshot of each page the test left open; return the paths saved."""
    pages = [page for context in item.stash.get(CONTEXTS_KEY, []) for page in context.pages]
    saved = []
    if not pages:
        return saved
    results = Path(item.config.rootpath) / RESULTS_DIR_NAME
    results.mkdir(exist_ok=True)
    stem = re.sub(r"[^\w.-]+", "-", item.name).strip("-")
    for number, page in enumerate(pages, start=1):
        path = results / (f"{stem}.png" if number == 1 else f"{stem}-{number}.png")
        try:
            page.screenshot(path=path, full_page=True)
        except Exception as error:  # a crashed page must not hide the test's own failure
            warnings.warn(f"could not save a screenshot to {path}: {error}", stacklevel=1)
            continue
        saved.append(str(path.relative_to(item.config.rootpath)))
    return saved


@pytest.fixture
def demo(transactional_db):
    """The demo data set (`seed_demo()`), as a visitor would find it."""
    from demo.seed import seed_demo

    return seed_demo()
