from django.apps import AppConfig


class SuccessionConfig(AppConfig):
    name = "succession"
    verbose_name = "Suksesi"

    def ready(self):
        # Registers the jabatan kind with the shared import machinery and the profile section.
        from asn.views import profile_sections

        from . import imports  # noqa: F401
        from .views import profile_section

        profile_sections.append(profile_section)
