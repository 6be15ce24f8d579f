"""English (LANGUAGE_CODE en-us) dates as the settings name them. Django always localizes,
so without this module its own English formats ("N j, Y": "Dec. 3, 2026"; "m/d/Y") would win
over DATE_FORMAT and the others in the settings. Input formats stay Django's (ISO first)."""

from django.conf import settings

DATE_FORMAT = settings.DATE_FORMAT
DATETIME_FORMAT = settings.DATETIME_FORMAT
TIME_FORMAT = settings.TIME_FORMAT
SHORT_DATE_FORMAT = settings.SHORT_DATE_FORMAT
SHORT_DATETIME_FORMAT = settings.SHORT_DATETIME_FORMAT
