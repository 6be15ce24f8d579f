"""The project's date formats (settings.FORMAT_MODULE_PATH): see `en/formats.py`."""
