"""`MEDREVIEW_HOME` holds the database, the keys and the encrypted documents: the folder is its
owner's alone (0700) and so is every file in it (0600); a key named by
`MEDREVIEW_ENCRYPTION_KEY_FILE` is never made up when missing, nor the home's own key when
documents are stored already; and `serve` listens on this machine only unless told."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from medreview.cli import build_parser


def _run(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "MEDREVIEW_HOME": str(home), **env}
    environment.pop("DATABASE_URL", None)
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "medreview.cli", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_home_and_its_files_are_the_owners_alone(tmp_path: Path) -> None:
    home = tmp_path / "home"
    done = _run(home, "org", "create", "Acme Mutual", "--kind", "client")
    assert done.returncode == 0, done.stderr
    assert _mode(home) == 0o700
    for name in ("medreview.sqlite3", "secret_key", "encryption_key"):
        assert _mode(home / name) == 0o600, name
    # An older home, made with the default umask, is closed at the next start.
    (home / "medreview.sqlite3").chmod(0o644)
    home.chmod(0o755)
    assert _run(home, "org", "create", "Other Mutual", "--kind", "client").returncode == 0
    assert (_mode(home), _mode(home / "medreview.sqlite3")) == (0o700, 0o600)


def test_a_named_key_file_is_never_made_up(tmp_path: Path) -> None:
    missing = tmp_path / "keys" / "documents.key"
    done = _run(
        tmp_path / "home", "org", "create", "Acme", "--kind", "client",
        MEDREVIEW_ENCRYPTION_KEY_FILE=str(missing),
    )  # fmt: skip
    assert done.returncode == 2
    assert "does not exist: medreview never makes a new key where one is named" in done.stderr
    assert not missing.exists() and "Traceback" not in done.stderr


def test_a_lost_key_beside_stored_documents_stops_the_start(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert _run(home, "org", "create", "Acme", "--kind", "client").returncode == 0
    (home / "documents").mkdir(exist_ok=True)
    (home / "documents" / "a.bin").write_bytes(b"encrypted")
    (home / "encryption_key").unlink()
    done = _run(home, "org", "create", "Other", "--kind", "client")
    assert done.returncode == 2 and "holds encrypted documents: restore the key" in done.stderr
    assert not (home / "encryption_key").exists()


def test_serve_listens_on_this_machine_only_by_default() -> None:
    assert build_parser().parse_args(["serve"]).host == "127.0.0.1"
