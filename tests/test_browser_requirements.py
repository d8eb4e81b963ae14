"""The browser suite's requirements: a missing nginx skips its tests with the reason outside
CI and fails them in CI (as a missing Chromium does); scripts/run_tests.sh installs both."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import conftest as browser
from tests.conftest import REPO


def test_missing_nginx_skips_outside_ci_and_fails_in_ci(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(browser, "NGINX", str(tmp_path / "nginx"))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install nginx"):
        browser._require_nginx()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="missing in CI"):
        browser._require_nginx()


def test_the_test_script_installs_nginx_and_chromium_from_debian() -> None:
    script = (REPO / "scripts" / "run_tests.sh").read_text()
    assert '[ -x /usr/sbin/nginx ] || missing="$missing nginx"' in script
    assert "apt-get install -y -qq $missing" in script


def test_the_template_fills_every_placeholder() -> None:
    config = browser.nginx_config("127.0.0.1:8080", ["http://127.0.0.1:1", "http://127.0.0.1:2"])
    assert "@@" not in config
    assert config.count("server 127.0.0.1:1 max_fails=1") == 2  # in both upstreams
    assert "listen 127.0.0.1:8080;" in config
