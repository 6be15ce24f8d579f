from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "medreview.triage"
    label = "triage"
