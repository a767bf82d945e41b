from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data of `make run`: it composes every app's sample data, so it sits above them all."""

    name = "demo"
    verbose_name = "Data demo"
