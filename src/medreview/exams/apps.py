from django.apps import AppConfig


class ExamsConfig(AppConfig):
    name = "medreview.exams"
    label = "exams"
