from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "medreview.audit"
    label = "audit"
