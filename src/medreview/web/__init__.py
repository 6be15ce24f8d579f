"""The Django project of medreview: settings, URLs, the API and the server (DESIGN.md section 6)."""
