from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "medreview.claims"
    label = "claims"
