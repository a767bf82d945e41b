"""OpenAPI pieces shared by every view: the token scheme and the documented error responses."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Token pribadi: `Authorization: Token <kunci>`. Buat di /api/v1/token/ (sesi browser).",
        }


class GalatSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Pesan dalam Bahasa Indonesia.")


class GalatValidasiSerializer(GalatSerializer):
    kesalahan = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Pesan per kolom (kolom bertingkat digabung dengan titik); tanpa kolom: non_field_errors.",
    )


class GalatBarisSerializer(serializers.Serializer):
    baris = serializers.IntegerField(help_text="Nomor baris, mulai 1 (urutan dalam daftar yang dikirim).")
    kolom = serializers.CharField()
    nilai = serializers.CharField()
    pesan = serializers.CharField()


class GalatImporSerializer(GalatValidasiSerializer):
    errors = GalatBarisSerializer(many=True, required=False, help_text="Kesalahan per baris; tidak ada yang ditulis.")


_DESCRIPTIONS = {
    400: "Permintaan tidak valid (pesan per kolom di `kesalahan`).",
    401: "Tanpa kredensial, atau token tidak valid/dicabut.",
    403: "Peran Anda tidak berhak melakukan ini (mis. PPK atau Monitor BKN menulis data), atau CSRF gagal.",
    404: "Tidak ditemukan, atau milik instansi lain; juga halaman di luar jangkauan.",
    409: "Bertentangan dengan keadaan data (mis. periode sudah ditutup).",
    429: "Terlalu banyak permintaan; coba lagi setelah beberapa detik.",
    503: "Antrean tugas tidak tersedia (Redis); perubahan data tetap tersimpan, hitung ulang menyusul.",
}


def errors(*codes: int, bad_request=GalatValidasiSerializer) -> dict:
    """The error responses of an operation: always 401, 403, 404 and 429, plus the codes given."""
    result = {}
    for code in sorted({401, 403, 404, 429, *codes}):
        serializer = bad_request if code == 400 else GalatSerializer
        result[code] = OpenApiResponse(serializer, description=_DESCRIPTIONS[code])
    return result


# The headers of every answer with derived data (api.views.common.FreshnessHeaders).
FRESHNESS_HEADERS = [
    OpenApiParameter(
        "Talenta-Dihitung",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=True,
        description="waktu perhitungan terakhir data turunan (ISO 8601; kosong bila belum pernah dihitung)",
    ),
    OpenApiParameter(
        "Talenta-Status-Hitung",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=True,
        enum=["selesai", "antre", "berjalan"],
        description="apakah hitung ulang untuk instansi ini sedang diantrekan atau berjalan",
    ),
]
