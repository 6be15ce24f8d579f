"""Settings from the environment, in one place, failing loudly on bad values.

`MEDREVIEW_*` variables set the thresholds of the rules (docs/rules.md, "Thresholds"); each
must be a positive whole number. The web application's settings read them at start, so that a
bad value stops the server rather than a referral's reading later. The documents' keys are
checked here too (`fernet_keys`), each where it is written, without ever printing one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import fields

from cryptography.fernet import Fernet

from medreview.core.thresholds import Thresholds

ENV_PREFIX = "MEDREVIEW_"


class ConfigError(ValueError):
    """A setting with a value that cannot be used; the message names the variable."""


def rule_thresholds(env: Mapping[str, str]) -> Thresholds:
    """The rule thresholds, defaults overridden by MEDREVIEW_<NAME> (e.g. MEDREVIEW_TREATMENT_GAP_DAYS)."""
    values = {}
    for f in fields(Thresholds):
        name = ENV_PREFIX + f.name.upper()
        raw = env.get(name)
        if raw is None or raw.strip() == "":
            continue
        try:
            value = int(raw)
        except ValueError:
            raise ConfigError(f"{name}={raw!r} is not a whole number") from None
        if value < 0 or (value == 0 and f.name != "min_clinical_documents"):
            raise ConfigError(f"{name}={raw!r} must be a positive whole number")
        values[f.name] = value
    return Thresholds(**values)


def case_processes(env: Mapping[str, str]) -> int:
    """How many processes a large case may use: MEDREVIEW_CASE_PROCESSES, else the machine's cores."""
    raw = env.get(ENV_PREFIX + "CASE_PROCESSES", "").strip()
    if not raw:
        return default_processes()
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{ENV_PREFIX}CASE_PROCESSES={raw!r} is not a whole number") from None
    if value < 1:
        raise ConfigError(f"{ENV_PREFIX}CASE_PROCESSES={raw!r} must be at least 1")
    return value


def default_processes() -> int:
    """The machine's cores, at most 8: a case gains little from more."""
    return max(1, min(os.cpu_count() or 1, 8))


def fernet_keys(raw: str, *, where: str, per_line: bool) -> list[str]:
    """The Fernet keys written in `raw`, newest first: one a line in a key file (`per_line`),
    separated by commas in MEDREVIEW_ENCRYPTION_KEY. Blank entries are skipped. A bad key is
    named by `where` and its line (or place), never printed: the message may reach a log, and
    a key in a log is a key given away."""
    parts = raw.splitlines() if per_line else raw.split(",")
    keys: list[str] = []
    for number, part in enumerate(parts, start=1):
        key = part.strip()
        if not key:
            continue
        try:
            Fernet(key.encode())
        except ValueError:  # binascii.Error is one too
            place = f"line {number}" if per_line else f"key {number} (of {len(parts)})"
            raise ConfigError(
                f"{where}, {place}: not a Fernet key (32 bytes in URL-safe base64)"
            ) from None
        keys.append(key)
    if not keys:
        raise ConfigError(f"{where} holds no key")
    return keys
