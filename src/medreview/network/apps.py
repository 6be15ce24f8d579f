from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "medreview.network"
    label = "network"
