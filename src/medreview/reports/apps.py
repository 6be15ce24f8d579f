from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "medreview.reports"
    label = "reports"
