from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "medreview.records"
    label = "records"
