"""`medreview manage ARGS…` runs Django's management commands against the configured
database, as a Django project's `manage.py` does: on a new MEDREVIEW_HOME it migrates first
and `check` finds no issue; an unknown command exits 1 naming it, with no traceback."""

from __future__ import annotations

from pathlib import Path

from cases import medreview


def test_check_works_on_a_new_home(tmp_path: Path) -> None:
    done = medreview(tmp_path, "manage", "check")
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout
    migrations = medreview(tmp_path, "manage", "showmigrations", "claims")
    assert "[X] 0001_initial" in migrations.stdout and "[ ]" not in migrations.stdout


def test_options_pass_through_and_an_unknown_command_is_named(tmp_path: Path) -> None:
    listed = medreview(tmp_path, "manage", "help")
    assert listed.returncode == 0 and "migrate" in listed.stdout and "db_worker" in listed.stdout
    wrong = medreview(tmp_path, "manage", "nosuchcommand")
    assert wrong.returncode == 1
    assert "Unknown command: 'nosuchcommand'" in wrong.stderr
    assert "Traceback" not in wrong.stderr


def test_createsuperuser_makes_an_administrator_of_the_review_desk(tmp_path: Path) -> None:
    import os

    os.environ["DJANGO_SUPERUSER_PASSWORD"] = "a long enough password"
    try:
        made = medreview(
            tmp_path, "manage", "createsuperuser", "--email", "boss@review.example", "--noinput"
        )
        again = medreview(
            tmp_path, "manage", "createsuperuser", "--email", "boss@review.example", "--noinput"
        )
    finally:
        os.environ.pop("DJANGO_SUPERUSER_PASSWORD")
    assert made.returncode == 0, made.stderr
    assert "created administrator boss@review.example (Review desk)" in made.stdout
    assert again.returncode == 1 and "exists already" in again.stderr
    check = medreview(
        tmp_path, "manage", "shell", "--no-imports", "-c",
        "from medreview.claims.models import User; u = User.objects.get(email='boss@review.example');"
        " print(u.role, u.organisation.kind, u.check_password('a long enough password'))",
    )  # fmt: skip
    assert check.stdout.split() == ["admin", "reviewer", "True"], check.stderr
