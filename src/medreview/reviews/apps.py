from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "medreview.reviews"
    label = "reviews"
