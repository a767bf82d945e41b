from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = "Kinerja dan asesmen"

    def ready(self):
        # Registers the kinerja, asesmen and disiplin kinds with the shared import machinery.
        from asn.views import profile_sections

        from . import imports  # noqa: F401
        from .views import profile_section

        profile_sections.append(profile_section)
