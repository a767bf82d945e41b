from django.apps import AppConfig


class SuccessionConfig(AppConfig):
    name = "succession"
    verbose_name = "Suksesi"

    def ready(self):
        from assessment.services import placements_changed_listeners

        from . import imports  # noqa: F401
        from .services import schedule_candidates

        # Candidate lists follow every placement recompute, chained on commit.
        placements_changed_listeners.append(schedule_candidates)
        from asn.views import profile_sections

        from .views import profile_section

        profile_sections.append(profile_section)
