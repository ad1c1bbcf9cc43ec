import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    # The browser tests allow async-unsafe ORM calls in this process; a deployment never would.
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    environment.update({"DJANGO_SETTINGS_MODULE": "biodiversitheque.settings.production",
                        "BASE_URL": "https://biodiversitheque.example.fr", **env})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_deploy_checks_are_clean_with_a_realistic_environment(tmp_path):
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="biodiversitheque.example.fr",
        BIODIVERSITHEQUE_VAR_DIR=str(tmp_path),
        CACHE_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_warns_when_rate_limits_are_not_shared_between_workers(tmp_path):
    result = run_manage(
        "check", "--deploy",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="biodiversitheque.example.fr",
        BIODIVERSITHEQUE_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "biodiversitheque.W001" in result.stderr + result.stdout
    assert "CACHE_URL" in result.stderr + result.stdout


def test_production_refuses_to_start_without_a_public_address(tmp_path):
    result = run_manage("check", SECRET_KEY=secrets.token_urlsafe(64), BASE_URL="",
                        BIODIVERSITHEQUE_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "BASE_URL doit être défini" in result.stderr


@pytest.mark.parametrize("secret", ["", "court", "dev-" + "x" * 60])
def test_production_refuses_to_start_without_a_real_secret_key(secret, tmp_path):
    result = run_manage("check", SECRET_KEY=secret, BIODIVERSITHEQUE_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY doit être défini" in result.stderr


def test_public_pages_have_a_strict_content_security_policy(client, home_page):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_admin_is_left_to_wagtail_own_needs(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_admin_login_is_locked_after_repeated_failures(client, django_user_model):
    django_user_model.objects.create_user("agent", password="le-bon-mot-de-passe", is_staff=True)
    for _ in range(2):
        response = client.post("/admin/login/", {"username": "agent", "password": "faux"})
        assert response.status_code == 200
    response = client.post("/admin/login/", {"username": "agent", "password": "faux"})
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()
    # Even the right password is refused while locked out.
    response = client.post("/admin/login/", {"username": "agent", "password": "le-bon-mot-de-passe"})
    assert response.status_code == 429
