"""Provincial aggregates: the provincial dashboard's figures, per instansi the user may see."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound

from asn.selectors import instansi_for_user
from assessment.selectors import periode_get, periode_latest
from succession.dashboard import dashboard_rows

from .. import serializers as s
from ..schema import FRESHNESS_HEADERS, errors
from .common import FreshnessHeaders, query_params


class ProvinsiList(FreshnessHeaders, generics.ListAPIView):
    serializer_class = s.ProvinsiSerializer

    def get_queryset(self):
        """The dashboard's rows (grouped queries, cached per period), kept to the visible instansi."""
        if getattr(self, "swagger_fake_view", False):
            return []
        params = query_params(self.request, s.ProvinsiFilter)
        periode = periode_get(tahun=params["tahun"]) if params.get("tahun") else periode_latest()
        if periode is None:
            raise NotFound("Belum ada periode.")
        self.note_freshness(periode)
        visible = set(instansi_for_user(user=self.request.user).values_list("pk", flat=True))
        return [
            {**row, **{f"kotak_{box}": count for box, count in enumerate(row["kotak"], start=1)}}
            for row in dashboard_rows(periode=periode)["rows"]
            if row["instansi_id"] in visible
        ]

    @extend_schema(
        summary="Agregat provinsi per instansi",
        description="Angka dasbor provinsi per instansi yang terlihat oleh Anda pada satu periode (bawaan: periode "
        "terbaru): pegawai, penempatan, penempatan lengkap, KRS, jumlah per kotak 1–9, jabatan target, cakupan "
        "suksesi, kualitas data, kalibrasi dan tahapan BKN.",
        parameters=[*FRESHNESS_HEADERS, s.ProvinsiFilter],
        responses={200: s.ProvinsiSerializer(many=True), **errors(400, 404)},
        tags=["provinsi"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
