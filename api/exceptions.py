"""Every API error has one shape: `{"detail": "<pesan>"}`, plus `kesalahan` for invalid input.

`kesalahan` maps a field (nested fields joined with dots) to its messages; messages the
services raise without a field go under `non_field_errors`.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

INVALID = "Data tidak valid."


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(django_errors(exc))
    elif isinstance(exc, DjangoPermissionDenied) and exc.args:
        # Keep the service's own message ("Hanya PPK instansi ini ...") instead of a generic one.
        exc = exceptions.PermissionDenied(str(exc))
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": INVALID, "kesalahan": flatten(exc.detail)}
    return response


def django_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
            for field, messages in exc.message_dict.items()
        }
    return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}


def flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    key = prefix or api_settings.NON_FIELD_ERRORS_KEY
    if isinstance(detail, dict):
        result = {}
        for name, value in detail.items():
            result.update(flatten(value, f"{prefix}.{name}" if prefix else str(name)))
        return result
    if isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            return {key: [str(item) for item in detail]} if detail else {}
        result = {}
        for index, item in enumerate(detail):
            result.update(flatten(item, f"{prefix}.{index}" if prefix else str(index)))
        return result
    return {key: [str(detail)]}
