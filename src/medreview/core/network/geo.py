"""Where a ZIP code is, and how far apart two places are.

ZIP centroids come from the `zipcodes` package (offline, about 42,800 US ZIP codes with
latitude, longitude and state). Reading its compressed data costs close to a second, more
than a whole `medreview match` may take, so the centroids it gives are kept on disk as a
small table keyed by the package's version, and read in milliseconds by the next process.
Distances are great-circle miles between centroids (docs/rules.md, "Matching physicians":
an examiner within the jurisdiction's distance limit of the claimant).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from typing import Any

from medreview.core import kept

EARTH_RADIUS_MILES = 3958.8


@dataclass(frozen=True)
class Centroid:
    zip: str
    latitude: float
    longitude: float
    state: str


def centroid(zip_code: str) -> Centroid | None:
    """The centroid of a 5-digit ZIP code, or None when the code is unknown."""
    found = _table().get(zip_code.strip()[:5])
    if found is None:
        return None
    latitude, longitude, state = found
    return Centroid(zip_code.strip()[:5], latitude, longitude, state)


def miles(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in miles between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(min(1.0, h)))


def miles_to_many(origin: tuple[float, float], latitudes: Any, longitudes: Any) -> Any:
    """Distances in miles from one point to many (numpy arrays in degrees)."""
    import numpy as np

    lat1, lon1 = math.radians(origin[0]), math.radians(origin[1])
    lat2, lon2 = np.radians(latitudes), np.radians(longitudes)
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_MILES * np.arcsin(np.sqrt(np.minimum(1.0, h)))


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[float, float, str]]:
    name = f"zip-centroids-{metadata.version('zipcodes')}.json"
    content = kept.read(name)
    try:
        raw = json.loads(content) if content is not None else None
        if raw is not None:
            return {z: (v[0], v[1], v[2]) for z, v in raw.items()}
    except (ValueError, IndexError, TypeError, AttributeError):
        pass  # unreadable: read the package's data once and keep it
    import zipcodes

    table = {
        z["zip_code"]: (float(z["lat"]), float(z["long"]), z["state"])
        for z in zipcodes.list_all()  # type: ignore[no-untyped-call]
        if z.get("lat") and z.get("long")
    }
    kept.write(name, json.dumps({z: list(v) for z, v in table.items()}).encode())
    return table
