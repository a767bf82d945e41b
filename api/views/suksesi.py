"""Jabatan target, candidates and nominations: the succession selectors and services."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from assessment.models import Periode
from succession import selectors, services
from succession.models import Kandidat, Nominasi, TargetSuksesi

from .. import serializers as s
from ..permissions import ReadsOrWritesData
from ..schema import FRESHNESS_HEADERS, errors
from .common import FreshnessHeaders, instansi_param, query_params

TAG = "suksesi"


def _target(view, tahun, jabatan_id) -> TargetSuksesi:
    periode = get_object_or_404(Periode, tahun=tahun)
    target = selectors.target_get_for_user(user=view.request.user, periode=periode, jabatan_id=jabatan_id)
    view.note_freshness(periode, target.instansi)
    return target


class TargetList(FreshnessHeaders, generics.ListAPIView):
    serializer_class = s.TargetListSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return TargetSuksesi.objects.none()
        periode = get_object_or_404(Periode, tahun=self.kwargs["tahun"])
        params = query_params(self.request, s.InstansiParam)
        instansi = instansi_param(self.request.user, params.get("instansi"), required=True)
        self.note_freshness(periode, instansi)
        targets = selectors.targets_for_user(user=self.request.user, periode=periode, instansi=instansi)
        # The page's order, made total so that pages never overlap.
        return targets.select_related("instansi").order_by("jabatan__unit_kerja__nama", "jabatan__nama", "jabatan_id")

    @extend_schema(
        summary="Jabatan target satu instansi",
        description="Dengan jumlah kandidat dan nominasi (disetujui, diusulkan). Satu instansi (wajib bagi "
        "pengguna tingkat provinsi).",
        parameters=[*FRESHNESS_HEADERS, s.InstansiParam],
        responses={200: s.TargetListSerializer(many=True), **errors(400)},
        tags=[TAG],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class TargetDetail(FreshnessHeaders, APIView):
    @extend_schema(
        parameters=FRESHNESS_HEADERS,
        summary="Satu jabatan target",
        responses={200: s.TargetSerializer, **errors()},
        tags=[TAG],
    )
    def get(self, request, tahun, jabatan_id):
        return Response(s.TargetSerializer(_target(self, tahun, jabatan_id)).data)


class KandidatList(FreshnessHeaders, generics.ListAPIView):
    serializer_class = s.KandidatSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Kandidat.objects.none()
        return selectors.candidates_of(target=_target(self, self.kwargs["tahun"], self.kwargs["jabatan_id"]))

    @extend_schema(
        parameters=FRESHNESS_HEADERS,
        summary="Kandidat jabatan target",
        description="Urut peringkat; kotak, skor potensial dan kinerja dari penempatan periode itu.",
        responses={200: s.KandidatSerializer(many=True), **errors(400)},
        tags=[TAG],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class NominasiList(FreshnessHeaders, generics.ListAPIView):
    serializer_class = s.NominasiSerializer
    permission_classes = [IsAuthenticated, ReadsOrWritesData]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Nominasi.objects.none()
        target = _target(self, self.kwargs["tahun"], self.kwargs["jabatan_id"])
        return selectors.nominations_of(periode=target.periode, jabatan=target.jabatan)

    @extend_schema(
        parameters=FRESHNESS_HEADERS,
        summary="Nominasi jabatan target",
        responses={200: s.NominasiSerializer(many=True), **errors(400)},
        tags=[TAG],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Usulkan suksesor",
        description="Operator instansi mengusulkan pegawai dari daftar kandidat; yang tidak lolos syarat ditolak. "
        "Keputusan ada pada PPK.",
        request=s.NominasiInputSerializer,
        # A plain array: a many=True serializer on a list view would be documented as a paginated page.
        responses={
            201: OpenApiResponse(
                {"type": "array", "items": {"$ref": "#/components/schemas/Nominasi"}},
                description="Nominasi yang baru dibuat.",
            ),
            **errors(400),
        },
        tags=[TAG],
    )
    def post(self, request, tahun, jabatan_id):
        target = _target(self, tahun, jabatan_id)
        body = s.NominasiInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        created = services.nomination_create(
            user=request.user,
            periode=target.periode,
            jabatan=target.jabatan,
            pegawai_ids=body.validated_data["pegawai"],
        )
        nominations = selectors.nominations_of(periode=target.periode, jabatan=target.jabatan).filter(
            pk__in=[n.pk for n in created]
        )
        return Response(s.NominasiSerializer(nominations, many=True).data, status=status.HTTP_201_CREATED)


class NominasiKeputusan(APIView):
    @extend_schema(
        summary="Keputusan PPK atas nominasi",
        description="Hanya PPK instansi nominasi itu; penolakan wajib disertai catatan.",
        request=s.KeputusanInputSerializer,
        responses={200: s.NominasiSerializer, **errors(400)},
        tags=[TAG],
    )
    def post(self, request, pk):
        nomination = selectors.nomination_get_for_user(user=request.user, pk=pk, decide=True)
        body = s.KeputusanInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.nomination_decide(
            user=request.user,
            nomination=nomination,
            approve=body.validated_data["keputusan"] == "setujui",
            catatan=body.validated_data["catatan"],
        )
        decided = selectors.nominations_of(periode=nomination.periode, jabatan=nomination.jabatan).get(pk=pk)
        return Response(s.NominasiSerializer(decided).data)
