from django.apps import AppConfig


class PortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"
    verbose_name = "Portal ASN"

    def ready(self):
        # The verified portfolio joins the sections of the staff's pegawai profile.
        from asn.views import profile_sections

        from .views import portfolio_profile_section

        profile_sections.append(portfolio_profile_section)
