"""Pegawai and jabatan: the same selectors, form rules and service as the pegawai pages."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from asn import selectors, services
from asn.forms import PegawaiForm
from asn.models import Jabatan, Pegawai

from ..permissions import ReadsOrWritesData
from ..schema import errors
from ..serializers import (
    JabatanFilter,
    JabatanSerializer,
    PegawaiFilter,
    PegawaiInputSerializer,
    PegawaiSerializer,
)
from .common import instansi_param, query_params

# API field -> PegawaiForm field.
_FORM_FIELDS = {
    "nip": "nip",
    "nama": "nama",
    "gelar_depan": "gelar_depan",
    "gelar_belakang": "gelar_belakang",
    "jenis_asn": "jenis_asn",
    "jabatan_id": "jabatan",
    "golongan": "golongan",
    "pendidikan": "pendidikan",
    "tmt_jabatan": "tmt_jabatan",
}
_API_FIELDS = {form: api for api, form in _FORM_FIELDS.items()}


def _current_values(pegawai: Pegawai) -> dict:
    return {
        "nip": pegawai.nip,
        "nama": pegawai.nama,
        "gelar_depan": pegawai.gelar_depan,
        "gelar_belakang": pegawai.gelar_belakang,
        "jenis_asn": pegawai.jenis_asn,
        "jabatan_id": pegawai.jabatan_id,
        "golongan": pegawai.golongan_id,
        "pendidikan": pegawai.pendidikan_id,
        "tmt_jabatan": pegawai.tmt_jabatan,
    }


def _save(request, pegawai: Pegawai, values: dict) -> Pegawai:
    """Validate with the page's PegawaiForm and write with the page's service."""
    data = {_FORM_FIELDS[name]: ("" if value is None else value) for name, value in values.items()}
    form = PegawaiForm(data, instance=pegawai, user=request.user)
    if not form.is_valid():
        raise ValidationError(
            {_API_FIELDS.get(field, "non_field_errors"): list(messages) for field, messages in form.errors.items()}
        )
    saved = services.pegawai_save(user=request.user, pegawai=pegawai, data=form.cleaned_data)
    return selectors.pegawai_get_for_user(user=request.user, pk=saved.pk)


class PegawaiList(generics.ListAPIView):
    permission_classes = [IsAuthenticated, ReadsOrWritesData]
    serializer_class = PegawaiSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Pegawai.objects.none()
        params = query_params(self.request, PegawaiFilter)
        filters = {
            "jabatan__unit_kerja_id": params.get("unit_kerja"),
            "jabatan__jenjang_id": params.get("jenjang"),
            "golongan_id": params.get("golongan"),
            "jenis_asn": params.get("jenis_asn"),
        }
        if params.get("instansi"):
            filters["instansi"] = instansi_param(self.request.user, params["instansi"])
        return selectors.pegawai_search(user=self.request.user, query=params.get("q", ""), filters=filters)

    @extend_schema(
        summary="Daftar pegawai",
        description="Cari dengan NIP (awalan) atau nama, saring per instansi, unit kerja, jenjang, golongan, "
        "jenis ASN; urut nama.",
        parameters=[PegawaiFilter],
        responses={200: PegawaiSerializer(many=True), **errors(400)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Tambah pegawai",
        description="Aturan yang sama dengan formulir: NIP 18 digit yang valid untuk jenis ASN-nya, golongan "
        "sesuai jenis ASN; jabatan menentukan instansi. Hanya operator dan admin.",
        request=PegawaiInputSerializer,
        responses={201: PegawaiSerializer, **errors(400)},
    )
    def post(self, request):
        values = PegawaiInputSerializer(data=request.data)
        values.is_valid(raise_exception=True)
        pegawai = _save(request, Pegawai(), values.validated_data)
        return Response(PegawaiSerializer(pegawai).data, status=status.HTTP_201_CREATED)


class PegawaiDetail(APIView):
    permission_classes = [IsAuthenticated, ReadsOrWritesData]

    @extend_schema(summary="Profil pegawai", responses={200: PegawaiSerializer, **errors()})
    def get(self, request, pk):
        return Response(PegawaiSerializer(selectors.pegawai_get_for_user(user=request.user, pk=pk)).data)

    @extend_schema(
        summary="Ubah pegawai (semua kolom)",
        request=PegawaiInputSerializer,
        responses={200: PegawaiSerializer, **errors(400)},
    )
    def put(self, request, pk):
        return self._update(request, pk, partial=False)

    @extend_schema(
        summary="Ubah sebagian kolom pegawai",
        request=PegawaiInputSerializer(partial=True),
        responses={200: PegawaiSerializer, **errors(400)},
    )
    def patch(self, request, pk):
        return self._update(request, pk, partial=True)

    def _update(self, request, pk, *, partial):
        pegawai = selectors.pegawai_get_for_user(user=request.user, pk=pk, write=True)
        values = PegawaiInputSerializer(data=request.data, partial=partial)
        values.is_valid(raise_exception=True)
        saved = _save(request, pegawai, {**_current_values(pegawai), **values.validated_data})
        return Response(PegawaiSerializer(saved).data)


class JabatanList(generics.ListAPIView):
    serializer_class = JabatanSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Jabatan.objects.none()
        params = query_params(self.request, JabatanFilter)
        jabatan = selectors.jabatan_for_user(user=self.request.user)
        if params.get("instansi"):
            jabatan = jabatan.filter(unit_kerja__instansi=instansi_param(self.request.user, params["instansi"]))
        if params.get("unit_kerja"):
            jabatan = jabatan.filter(unit_kerja_id=params["unit_kerja"])
        if params.get("jenjang"):
            jabatan = jabatan.filter(jenjang_id=params["jenjang"])
        if params.get("kritikal") is not None:
            jabatan = jabatan.filter(kritikal=params["kritikal"])
        if params.get("q"):
            jabatan = jabatan.filter(nama__icontains=params["q"])
        return jabatan.order_by("unit_kerja__instansi__kode", "unit_kerja__nama", "nama", "id")

    @extend_schema(
        summary="Daftar jabatan",
        description="Untuk mencari `jabatan_id` saat menambah atau mengubah pegawai.",
        parameters=[JabatanFilter],
        responses={200: JabatanSerializer(many=True), **errors(400)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
