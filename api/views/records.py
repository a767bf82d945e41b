"""Kinerja (SKP), asesmen and disiplin: read, and write through the import machinery.

A single row and a list of rows both go through `asn.services.import_rows_run`: the same column
names, the same validation and the same all-or-nothing write as an uploaded file.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from asn.models import ImportKind
from asn.services import IMPORT_KINDS, import_rows_run
from assessment.imports import TINGKAT_OPTIONS
from assessment.models import Asesmen, HukumanDisiplin, SkpResult
from assessment.selectors import record_get_for_user
from talenta.tabular import RowError, as_text, parse_choice, parse_date, parse_whole

from .. import serializers as s
from ..permissions import ReadsOrWritesData, WritesData
from ..schema import GalatImporSerializer, errors
from .common import instansi_param, normalized_nip, query_params, row_errors

# One request holds at most this many rows; a larger file goes in several requests.
MAX_ROWS = 50_000
# JSON may carry what no database column can store.
_UNSAFE = re.compile("[\x00\ud800-\udfff]")


@dataclass(frozen=True)
class RecordKind:
    kind: str
    model: type
    serializer: type
    row_serializer: type
    filter: type
    label: str
    # The written record's natural key besides the NIP, read back from a row the import accepted.
    natural_key: Callable[[dict], dict]
    ordering: tuple[str, ...]


KINERJA = RecordKind(
    kind=ImportKind.KINERJA,
    model=SkpResult,
    serializer=s.KinerjaSerializer,
    row_serializer=s.KinerjaBarisSerializer,
    filter=s.KinerjaFilter,
    label="hasil SKP",
    natural_key=lambda row: {"tahun": parse_whole(row["tahun"], minimum=0, maximum=9999)},
    ordering=("pegawai__nip", "-tahun", "id"),
)
ASESMEN = RecordKind(
    kind=ImportKind.ASESMEN,
    model=Asesmen,
    serializer=s.AsesmenSerializer,
    row_serializer=s.AsesmenBarisSerializer,
    filter=s.RecordFilter,
    label="hasil asesmen",
    natural_key=lambda row: {"tanggal_asesmen": parse_date(row["tanggal_asesmen"])},
    ordering=("pegawai__nip", "-tanggal_asesmen", "id"),
)
DISIPLIN = RecordKind(
    kind=ImportKind.DISIPLIN,
    model=HukumanDisiplin,
    serializer=s.DisiplinSerializer,
    row_serializer=s.DisiplinBarisSerializer,
    filter=s.RecordFilter,
    label="hukuman disiplin",
    natural_key=lambda row: {
        "tanggal_sk": parse_date(row["tanggal_sk"]),
        "tingkat": parse_choice(row["tingkat"], TINGKAT_OPTIONS, label="Tingkat"),
    },
    ordering=("pegawai__nip", "-tanggal_sk", "id"),
)


def _shown(value) -> str:
    return _UNSAFE.sub("\ufffd", as_text(value))[:200]


def _check_cells(kind: str, rows: list) -> list[RowError]:
    """What JSON allows but a spreadsheet cell never holds; the import checks everything else."""
    found = []
    columns = [column.name for column in IMPORT_KINDS[kind].columns]
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            found.append(RowError(number, "", _shown(row), "Baris harus berupa objek JSON berisi kolom impor."))
            continue
        for column in columns:
            value = row.get(column)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, str | int | float):
                found.append(RowError(number, column, _shown(value), "Isi kolom harus berupa teks atau angka."))
            elif isinstance(value, str) and _UNSAFE.search(value):
                found.append(
                    RowError(number, column, _shown(value), "Teks memuat karakter yang tidak diizinkan (NUL).")
                )
    return found


def _invalid_rows(found: list[RowError]) -> Response:
    return Response(
        {"detail": "Data tidak valid; tidak ada yang disimpan.", "errors": row_errors(found)},
        status=status.HTTP_400_BAD_REQUEST,
    )


def _import(request, record: RecordKind, rows: list):
    """Check and write all rows, or nothing: (outcome, None) or (None, 400 response)."""
    found = _check_cells(record.kind, rows)
    if found:
        return None, _invalid_rows(found)
    outcome = import_rows_run(kind=record.kind, rows=rows, user=request.user, write=True)
    if outcome.errors:
        return None, _invalid_rows(outcome.errors)
    return outcome, None


class _RecordList(generics.ListAPIView):
    record: RecordKind
    permission_classes = [IsAuthenticated, ReadsOrWritesData]

    def get_serializer_class(self):
        return self.record.serializer

    def get_queryset(self):
        model = self.record.model
        if getattr(self, "swagger_fake_view", False):
            return model.objects.none()
        params = query_params(self.request, self.record.filter)
        records = model.objects.for_user(self.request.user).select_related("pegawai")
        if params.get("instansi"):
            records = records.filter(pegawai__instansi=instansi_param(self.request.user, params["instansi"]))
        if params.get("nip"):
            records = records.filter(pegawai__nip=normalized_nip(params["nip"]))
        if params.get("tahun"):
            records = records.filter(tahun=params["tahun"])
        return records.order_by(*self.record.ordering)

    def post(self, request):
        row = request.data
        if not isinstance(row, dict):
            raise ValidationError("Kirim satu baris sebagai objek JSON; untuk banyak baris pakai .../massal/.")
        outcome, invalid = _import(request, self.record, [row])
        if invalid:
            return invalid
        written = (
            self.record.model.objects.for_user(request.user)
            .select_related("pegawai")
            .get(pegawai__nip=normalized_nip(as_text(row["nip"])), **self.record.natural_key(row))
        )
        created = outcome.summary.get("baru", 0) > 0
        return Response(
            self.record.serializer(written).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class _RecordDetail(APIView):
    record: RecordKind

    def get(self, request, pk):
        found = record_get_for_user(model=self.record.model, user=request.user, pk=pk)
        return Response(self.record.serializer(found).data)


class _RecordBulk(APIView):
    record: RecordKind
    permission_classes = [IsAuthenticated, WritesData]

    def post(self, request):
        rows = request.data
        if not isinstance(rows, list):
            raise ValidationError("Kirim daftar baris (larik JSON).")
        if len(rows) > MAX_ROWS:
            raise ValidationError(f"Paling banyak {MAX_ROWS:,} baris per permintaan; kirim bertahap.".replace(",", "."))
        outcome, invalid = _import(request, self.record, rows)
        if invalid:
            return invalid
        summary = {"jumlah_baris": outcome.total_rows, **outcome.summary}
        return Response(s.RingkasanImporSerializer(summary).data, status=status.HTTP_201_CREATED)


def _schemas(record: RecordKind, tag: str):
    """The documented operations of one record kind."""
    import_400 = OpenApiResponse(
        GalatImporSerializer, description="Ada baris yang tidak valid: `errors` menyebut baris dan kolomnya."
    )
    list_view = extend_schema_view(
        get=extend_schema(
            summary=f"Daftar {record.label}",
            parameters=[record.filter],
            responses={200: record.serializer(many=True), **errors(400)},
            tags=[tag],
        ),
        post=extend_schema(
            summary=f"Simpan satu {record.label}",
            description="Satu baris dengan kolom impor; aturan validasi sama dengan impor berkas. Data dengan "
            "kunci yang sama (NIP dan tahun/tanggal) diperbarui: 201 bila baru, 200 bila sudah ada.",
            request=record.row_serializer,
            responses={201: record.serializer, 200: record.serializer, **errors(400), 400: import_400},
            tags=[tag],
        ),
    )
    detail_view = extend_schema_view(
        get=extend_schema(summary=f"Satu {record.label}", responses={200: record.serializer, **errors()}, tags=[tag])
    )
    bulk_view = extend_schema_view(
        post=extend_schema(
            summary=f"Simpan banyak {record.label} sekaligus",
            description=f"Larik baris dengan kolom impor (paling banyak {MAX_ROWS} baris). Semua atau tidak sama "
            "sekali: satu baris salah berarti tidak ada yang disimpan, dan `errors` menyebut barisnya "
            "(nomor urut mulai 1). Penempatan dihitung ulang otomatis setelah tersimpan.",
            request=serializers.ListSerializer(child=record.row_serializer()),
            responses={201: s.RingkasanImporSerializer, **errors(400), 400: import_400},
            tags=[tag],
        )
    )
    return list_view, detail_view, bulk_view


def _views(record: RecordKind, tag: str, prefix: str):
    list_schema, detail_schema, bulk_schema = _schemas(record, tag)
    attrs = {"record": record, "__module__": __name__}
    return (
        list_schema(type(f"{prefix}List", (_RecordList,), dict(attrs))),
        detail_schema(type(f"{prefix}Detail", (_RecordDetail,), dict(attrs))),
        bulk_schema(type(f"{prefix}Bulk", (_RecordBulk,), dict(attrs))),
    )


KinerjaList, KinerjaDetail, KinerjaBulk = _views(KINERJA, "kinerja", "Kinerja")
AsesmenList, AsesmenDetail, AsesmenBulk = _views(ASESMEN, "asesmen", "Asesmen")
DisiplinList, DisiplinDetail, DisiplinBulk = _views(DISIPLIN, "disiplin", "Disiplin")
