from django.apps import AppConfig


class SuccessionConfig(AppConfig):
    name = "succession"
    verbose_name = "Suksesi"
