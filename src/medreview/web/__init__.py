"""The Django project of medreview: settings, URLs, the API and the server (docs/architecture.md)."""
