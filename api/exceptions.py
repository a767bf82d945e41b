"""Every API error has one shape: `{"detail": "<pesan>"}`, plus `kesalahan` for invalid input.

`kesalahan` maps a field (nested fields joined with dots) to its messages; messages the
services raise without a field go under `non_field_errors`.
"""

import math
import re

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

INVALID = "Data tidak valid."
# DRF echoes invalid input in some messages; a lone surrogate from JSON could not be encoded as UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(django_errors(exc))
    elif isinstance(exc, Http404):
        # get_object_or_404's English message names the model; the same answer for missing and forbidden.
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied) and exc.args:
        # Keep the service's own message ("Hanya PPK instansi ini ...") instead of a generic one.
        exc = exceptions.PermissionDenied(str(exc))
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": INVALID, "kesalahan": flatten(exc.detail)}
    elif response is not None and isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF"):
        response.data = {"detail": "Pemeriksaan CSRF gagal: kirim token CSRF (header X-CSRFToken) bersama cookie sesi."}
    elif response is not None and isinstance(exc, exceptions.Throttled):
        # DRF's own sentence is only half translated.
        wait = f" dalam {math.ceil(exc.wait)} detik" if exc.wait is not None else ""
        response.data = {"detail": f"Terlalu banyak permintaan; coba lagi{wait}."}
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
            return {key: [_text(item) for item in detail]} if detail else {}
        result = {}
        for index, item in enumerate(detail):
            result.update(flatten(item, f"{prefix}.{index}" if prefix else str(index)))
        return result
    return {key: [_text(detail)]}


def _text(message) -> str:
    return _SURROGATE.sub("\ufffd", str(message))
