from django.apps import AppConfig


class AsnConfig(AppConfig):
    name = "asn"
    verbose_name = "Data ASN"
