from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "medreview.outbox"
    label = "outbox"
