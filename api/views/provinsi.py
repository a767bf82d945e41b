"""Provincial aggregates: per visible instansi, counts computed by the database in two grouped queries.

A stand-in until the provincial dashboard has its own selector; then this view should call it.
"""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from drf_spectacular.utils import extend_schema
from rest_framework import generics

from asn.models import Instansi, Pegawai
from asn.selectors import instansi_for_user
from assessment.models import Penempatan
from assessment.selectors import periode_get, periode_latest
from succession.models import TargetSuksesi

from .. import serializers as s
from ..schema import errors
from .common import query_params

BOXES = range(1, 10)


def _count_of(queryset, field: str):
    """A correlated COUNT(*) per instansi, 0 when there is none."""
    counted = queryset.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("*")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


class ProvinsiList(generics.ListAPIView):
    serializer_class = s.ProvinsiSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Instansi.objects.none()
        params = query_params(self.request, s.ProvinsiFilter)
        self.periode = periode_get(tahun=params["tahun"]) if params.get("tahun") else periode_latest()
        targets = TargetSuksesi.objects.filter(periode=self.periode)
        return (
            instansi_for_user(user=self.request.user)
            .annotate(
                jumlah_pegawai=_count_of(Pegawai.objects.all(), "instansi"),
                jumlah_jabatan_target=_count_of(targets, "instansi"),
            )
            .order_by("kode")
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        # Query 2: every placement count of the page's instansi, grouped once.
        counts = {
            row["instansi_id"]: row
            for row in Penempatan.objects.for_user(request.user)
            .filter(periode=self.periode, instansi__in=[i.pk for i in page])
            .values("instansi_id")
            .annotate(
                jumlah_penempatan=Count("id"),
                penempatan_lengkap=Count("id", filter=Q(lengkap=True)),
                jumlah_krs=Count("id", filter=Q(krs=True)),
                **{f"kotak_{box}": Count("id", filter=Q(kotak=box)) for box in BOXES},
            )
            .order_by()
        }
        empty = {"jumlah_penempatan": 0, "penempatan_lengkap": 0, "jumlah_krs": 0} | {f"kotak_{b}": 0 for b in BOXES}
        rows = [
            {
                "kode": instansi.kode,
                "nama": instansi.nama,
                "jumlah_pegawai": instansi.jumlah_pegawai,
                "jumlah_jabatan_target": instansi.jumlah_jabatan_target,
                **empty,
                **{k: v for k, v in counts.get(instansi.pk, {}).items() if k != "instansi_id"},
            }
            for instansi in page
        ]
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    @extend_schema(
        summary="Agregat provinsi per instansi",
        description="Per instansi yang terlihat oleh Anda: pegawai, penempatan, penempatan lengkap, KRS, "
        "jumlah per kotak 1–9 dan jabatan target pada satu periode (bawaan: periode terbaru).",
        parameters=[s.ProvinsiFilter],
        responses={200: s.ProvinsiSerializer(many=True), **errors(400)},
        tags=["provinsi"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
