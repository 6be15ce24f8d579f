from django.apps import AppConfig


class WebConfig(AppConfig):
    """The pages that compose several apps (the case page), and the site around them."""

    name = "medreview.web"
    label = "web"
