"""Periods, the recompute, placements, the nine-box counts and the talent pool."""

from django.db.models import Max
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from assessment import selectors
from assessment.forms import TalentMapFilterForm
from assessment.models import Penempatan, Perhitungan, Periode
from talenta import pipeline

from .. import serializers as s
from ..permissions import WritesData
from ..schema import FRESHNESS_HEADERS, GalatSerializer, errors
from .common import FreshnessHeaders, instansi_param, normalized_nip, query_params

TAG = "periode"


class PeriodeList(generics.ListAPIView):
    serializer_class = s.PeriodeSerializer
    queryset = Periode.objects.order_by("-tahun")

    @extend_schema(summary="Daftar periode", responses={200: s.PeriodeSerializer(many=True), **errors()}, tags=[TAG])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PeriodeDetail(FreshnessHeaders, APIView):
    @extend_schema(
        parameters=FRESHNESS_HEADERS,
        summary="Satu periode",
        description="Dengan waktu hitung terbaru penempatan yang terlihat oleh Anda dan progres hitung ulang "
        "yang sedang berjalan: setelah POST hitung-ulang, tunggu sampai `terakhir_dihitung` berubah.",
        responses={200: s.PeriodeDetailSerializer, **errors()},
        tags=[TAG],
    )
    def get(self, request, tahun):
        periode = selectors.periode_get(tahun=tahun)
        self.note_freshness(periode, request.user.scope_instansi)
        # The last finished refresh, not the newest placement: a refresh that changes nothing writes no row.
        latest = Perhitungan.objects.for_user(request.user).filter(periode=periode).aggregate(t=Max("selesai"))["t"]
        data = {
            "tahun": periode.tahun,
            "tanggal_acuan": periode.tanggal_acuan,
            "status": periode.status,
            "dibuat": periode.dibuat,
            "terakhir_dihitung": latest,
            "perhitungan": selectors.freshness(
                user=request.user, periode=periode, instansi=request.user.scope_instansi
            )["progress"],
        }
        return Response(s.PeriodeDetailSerializer(data).data)


class HitungUlang(APIView):
    permission_classes = [IsAuthenticated, WritesData]

    @extend_schema(
        summary="Hitung ulang penempatan",
        description="Menjadwalkan hitung ulang di latar belakang (sama dengan tombol di halaman periode): "
        "operator untuk instansinya; admin provinsi untuk satu instansi (`instansi`) atau semua.",
        request=s.HitungUlangInputSerializer,
        responses={
            202: s.HitungUlangSerializer,
            **errors(400, 409, 503),
            409: OpenApiResponse(GalatSerializer, description="Periode sudah ditutup."),
        },
        tags=[TAG],
    )
    def post(self, request, tahun):
        periode = selectors.periode_get(tahun=tahun)
        body = s.HitungUlangInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        # Operators recompute their own instansi; province-wide admins one instansi or (None) all of them.
        instansi = None
        if body.validated_data.get("instansi") or not request.user.sees_all_instansi:
            instansi = instansi_param(request.user, body.validated_data.get("instansi"))
        if periode.is_closed:
            return Response(
                {"detail": "Periode yang sudah ditutup tidak dapat dihitung ulang."}, status=status.HTTP_409_CONFLICT
            )
        try:
            pipeline.queue_refresh(periode_ids=[periode.pk], instansi_ids=[instansi.pk] if instansi else None)
        except pipeline.QueueUnavailable as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        return Response(
            {
                "detail": "Perhitungan ulang dijadwalkan; hasil tampil setelah selesai.",
                "periode": periode.tahun,
                "instansi": instansi.kode if instansi else None,
            },
            status=status.HTTP_202_ACCEPTED,
        )


class PenempatanList(FreshnessHeaders, generics.ListAPIView):
    serializer_class = s.PenempatanSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Penempatan.objects.none()
        periode = selectors.periode_get(tahun=self.kwargs["tahun"])
        params = query_params(self.request, s.PenempatanFilter)
        placements = (
            Penempatan.objects.for_user(self.request.user)
            .filter(periode=periode)
            .select_related("pegawai", "instansi", "jenjang")
            .defer("rincian")
        )
        instansi = instansi_param(self.request.user, params["instansi"]) if params.get("instansi") else None
        self.note_freshness(periode, instansi)
        if instansi is not None:
            placements = placements.filter(instansi=instansi)
        if params.get("nip"):
            placements = placements.filter(pegawai__nip=normalized_nip(params["nip"]))
        if params.get("kotak"):
            placements = placements.filter(kotak=params["kotak"])
        for flag in ("krs", "lengkap"):
            if params.get(flag) is not None:
                placements = placements.filter(**{flag: params[flag]})
        # The export's order: instansi code, then NIP.
        return placements.order_by("instansi__kode", "pegawai__nip")

    @extend_schema(
        summary="Penempatan satu periode",
        description="Kolom sama dengan ekspor peta talenta. Saring per instansi, kotak akhir, KRS, kelengkapan.",
        parameters=[*FRESHNESS_HEADERS, s.PenempatanFilter],
        responses={200: s.PenempatanSerializer(many=True), **errors(400)},
        tags=[TAG],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class Peta(FreshnessHeaders, APIView):
    @extend_schema(
        summary="Jumlah per kotak peta talenta (nine-box)",
        description="Untuk satu instansi (wajib bagi pengguna tingkat provinsi), dengan saringan yang sama "
        "dengan halaman peta.",
        parameters=[*FRESHNESS_HEADERS, s.PetaFilter],
        responses={200: s.PetaSerializer, **errors(400)},
        tags=[TAG],
    )
    def get(self, request, tahun):
        periode = selectors.periode_get(tahun=tahun)
        params = query_params(request, s.PetaFilter)
        instansi = instansi_param(request.user, params.get("instansi"), required=True)
        self.note_freshness(periode, instansi)
        form_data = {name: value for name, value in request.query_params.items() if name != "instansi"}
        form = TalentMapFilterForm(form_data, user=request.user, instansi=instansi)
        if not form.is_valid():
            raise ValidationError({field: list(messages) for field, messages in form.errors.items()})
        placements = selectors.placements_for_map(
            user=request.user, periode=periode, instansi=instansi, filters=form.filters()
        )
        counts = selectors.talent_map(placements=placements)
        boxes = sorted((cell for row in counts["grid"] for cell in row), key=lambda cell: cell["kotak"])
        data = {
            "periode": periode.tahun,
            "instansi": instansi.kode,
            "kotak": boxes,
            "lengkap": counts["lengkap"],
            "tidak_lengkap": counts["tidak_lengkap"],
            "alasan_tidak_lengkap": [{"alasan": a, "jumlah": n} for a, n in counts["alasan_tidak_lengkap"]],
            "total": counts["total"],
        }
        return Response(s.PetaSerializer(data).data)


class Krs(FreshnessHeaders, generics.ListAPIView):
    serializer_class = s.PenempatanSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Penempatan.objects.none()
        periode = selectors.periode_get(tahun=self.kwargs["tahun"])
        params = query_params(self.request, s.KrsFilter)
        instansi = instansi_param(self.request.user, params.get("instansi"), required=True)
        self.note_freshness(periode, instansi)
        pool = selectors.talent_pool(user=self.request.user, periode=periode, instansi=instansi)
        return pool[params["bagian"]].select_related("pegawai", "instansi").defer("rincian")

    @extend_schema(
        summary="Kelompok Rencana Suksesi (talent pool)",
        description="Anggota KRS, atau (`bagian=di_luar`) pegawai kotak 7–9 yang tidak masuk KRS beserta "
        "`alasan_krs`. Satu instansi (wajib bagi pengguna tingkat provinsi).",
        parameters=[*FRESHNESS_HEADERS, s.KrsFilter],
        responses={200: s.PenempatanSerializer(many=True), **errors(400)},
        tags=[TAG],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
