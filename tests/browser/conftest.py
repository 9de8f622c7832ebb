"""Browser tests: Playwright driving Debian's Chromium against a live test server, with axe-core.

Where Chromium is missing they skip with a message, except when REQUIRE_BROWSER_TESTS is set
(CI sets it), where a missing browser fails the run.
"""

import json
import os
import time
from binascii import unhexlify
from pathlib import Path

import pytest
from django.core.management import call_command
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from reviews.models import User
from tests.factories import give_authenticator

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
AXE_URL = "/static/build/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
DEMO_PASSWORD = "scrutiny-demo"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            # The live server needs committed data, so these tests are transactional.
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}: install it (apt-get install chromium) to run the browser tests"
        if os.environ.get("REQUIRE_BROWSER_TESTS"):
            pytest.fail(message)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def demo(roles):
    """The demo world; its scrutiny officer and administrator have set up an authenticator app
    (with the tests' own key), as they must before signing in with a password."""
    call_command("load_demo", "--with-demo-users", stdout=open(os.devnull, "w"))  # noqa: SIM115
    for username in ("clerk", "admin"):
        give_authenticator(User.objects.get(username=username))


@pytest.fixture
def page(page, live_server):
    """A page that fails the test on any Content Security Policy violation or script error."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    page.base_url = live_server.url
    yield page
    assert not problems, problems


def sign_in(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in with the password form and, when the code page follows, the code the user's
    authenticator app shows."""
    page.goto(f"{page.base_url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if page.url.split("?")[0].endswith("/sign-in/code/"):
        page.get_by_label("Security code").fill(next_code(username))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()


def next_code(username: str) -> str:
    """A code the user's app shows now that the site has not yet accepted: a code is never
    accepted twice, so a second sign-in in the same 30 seconds takes the next step's code (the
    site allows one step of clock difference), or waits for it."""
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    while True:
        now = int(time.time() - device.t0) // device.step
        step = max(now, device.last_t + 1)
        if step <= now + device.tolerance:
            return f"{hotp(unhexlify(device.key), step, device.digits):0{device.digits}d}"
        time.sleep(1)


def assert_accessible(page) -> None:
    """Run axe-core (WCAG 2.0, 2.1 and 2.2, A and AA) on the page; fail on any violation."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE_URL)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    violations = [
        {
            "id": v["id"],
            "help": v["help"],
            "nodes": [node["target"] for node in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]
    assert not violations, f"axe found on {page.url}:\n{json.dumps(violations, indent=2)}"
