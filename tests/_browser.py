"""Headless Chromium for the review-page tests, through selenium.

The tests skip, saying why, when selenium, chromium or chromedriver is missing.
Set CLEANARTICLE_CHROMIUM / CLEANARTICLE_CHROMEDRIVER to use other binaries, and
CLEANARTICLE_REQUIRE_BROWSER=1 (CI) to make a missing browser a failure instead.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
         "--window-size=1400,900")


def _skip(reason: str):
    if os.environ.get("CLEANARTICLE_REQUIRE_BROWSER"):
        pytest.fail(f"CLEANARTICLE_REQUIRE_BROWSER is set but {reason}")
    pytest.skip(reason)


def _binary(env: str, *names: str) -> str | None:
    if os.environ.get(env):
        return os.environ[env] if os.path.isfile(os.environ[env]) else None
    for n in names:
        found = shutil.which(n)
        if found:
            return found
    for p in ("/usr/bin/chromium", "/usr/lib/chromium/chromium") if "chromium" in names else ():
        if os.path.exists(p):
            return p
    return None


def start(download_dir: Path):
    """A new headless Chromium driven by selenium, or pytest.skip with the reason."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _skip("browser tests need selenium: pip install -e '.[test]'")
    chrome = _binary("CLEANARTICLE_CHROMIUM", "chromium", "chromium-browser", "google-chrome")
    driver_bin = _binary("CLEANARTICLE_CHROMEDRIVER", "chromedriver")
    if not chrome or not driver_bin:
        _skip("browser tests need Chromium and chromedriver: apt-get install -y chromium chromium-driver")
    opts = webdriver.ChromeOptions()
    opts.binary_location = chrome
    for f in FLAGS:
        opts.add_argument(f)
    opts.add_experimental_option("prefs", {"download.default_directory": str(download_dir),
                                           "download.prompt_for_download": False})
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        drv = webdriver.Chrome(service=Service(driver_bin), options=opts)
    except Exception as exc:  # a broken install is a skip with the reason, not a failure
        _skip(f"cannot start headless Chromium: {type(exc).__name__}: {str(exc).splitlines()[0]}")
    drv.set_page_load_timeout(60)
    return drv


def open_page(drv, path: Path) -> None:
    drv.get(path.resolve().as_uri())
    wait(drv, "return document.body.dataset.ready === '1'")


def wait(drv, script: str, timeout: float = 20.0, *args):
    end = time.monotonic() + timeout
    while True:
        value = drv.execute_script(script, *args)
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for: {script}")
        time.sleep(0.05)


def wait_for_file(path: Path, timeout: float = 20.0) -> str:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if path.is_file() and not list(path.parent.glob("*.crdownload")):
            return path.read_text(encoding="utf-8")
        time.sleep(0.1)
    raise AssertionError(f"no download at {path}")


def console_errors(drv) -> list[str]:
    """Browser console messages at error level (a CSP violation shows here)."""
    return [e["message"] for e in drv.get_log("browser") if e.get("level") == "SEVERE"]
