"""SIASN-shaped "Export Data ASN" files from demo pegawai: for tests, the benchmark and seed data.

The same pegawai `asn.demo.generate_pegawai` makes, written as SIASN writes them: all 64 columns
(personal data made up, so the import's dropping of it can be checked), SIASN's spellings of
jenis pegawai, pendidikan and instansi, DD-MM-YYYY dates, and stable ids derived from the names
(a regenerated file keeps its PNS ID, UNOR ID and JABATAN ID).
"""

import dataclasses
import random
import uuid

from talenta.tabular import write_csv

from .importers import PegawaiRow
from .reference import INSTANSI
from .siasn import SIASN_HEADERS

_NAMESPACE = uuid.UUID("5f1c3a4e-2b7d-4c61-9a0e-8d3f6b2a1c90")

PENDIDIKAN_SIASN = {
    "SD": "SD/Sederajat",
    "SMP": "SLTP/Sederajat",
    "SLTA": "SLTA/Sederajat",
    "D1": "Diploma I",
    "D2": "Diploma II",
    "D3": "Diploma III/Sarjana Muda",
    "D4": "Diploma IV",
    "S1": "S-1/Sarjana",
    "S2": "S-2",
    "S3": "S-3/Doktor",
}
_FUNGSIONAL = {"Ahli Utama", "Ahli Madya", "Ahli Muda", "Ahli Pertama", "Penyelia", "Mahir", "Terampil", "Pemula"}
_NAMA = {kode: nama for kode, nama, _ in INSTANSI}


def siasn_id(*parts: str) -> str:
    """A SIASN-looking id (32 hex digits, upper case), stable for the same parts."""
    return uuid.uuid5(_NAMESPACE, "|".join(parts)).hex.upper()


def instansi_kerja_nama(kode: str) -> str:
    nama = _NAMA[kode]
    return "Pemerintah " + nama.replace("Kabupaten ", "Kab. ")


def jenis_pegawai_nama(row: PegawaiRow) -> str:
    if row.jenis_asn == "PPPK":
        return "PPPK"
    return "PNS Daerah Provinsi" if len(row.instansi_kode) == 2 else "PNS Daerah Kabupaten/Kota"


def jenis_jabatan_nama(jenjang: str) -> str:
    if jenjang in _FUNGSIONAL:
        return "Jabatan Fungsional Tertentu"
    if jenjang == "Pelaksana":
        return "Jabatan Fungsional Umum"
    return "Jabatan Struktural"


def _date(value) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


def siasn_record(row: PegawaiRow, rng: random.Random, *, kedudukan: str = "Aktif") -> dict[str, str]:
    """One pegawai as a SIASN row: header -> cell."""
    unor_id = siasn_id(row.instansi_kode, "unor", row.unit_kerja)
    nik = f"{row.instansi_kode:0<6}{row.nip[6:8]}{row.nip[4:6]}{row.nip[2:4]}{rng.randint(1, 9999):04d}"
    return {
        **dict.fromkeys(SIASN_HEADERS, ""),
        "PNS ID": siasn_id("pns", row.nip),
        "NIP BARU": row.nip,
        "NIP LAMA": str(rng.randint(100000000, 999999999)),
        "NAMA": row.nama,
        "GELAR DEPAN": row.gelar_depan,
        "GELAR BELAKANG": row.gelar_belakang,
        "TEMPAT LAHIR NAMA": rng.choice(["Sambas", "Pontianak", "Singkawang", "Sintang", "Ketapang"]),
        "TANGGAL LAHIR": f"{row.nip[6:8]}-{row.nip[4:6]}-{row.nip[0:4]}",
        "JENIS KELAMIN": "M" if row.nip[14] == "1" else "F",
        "AGAMA NAMA": rng.choice(["Islam", "Katolik", "Kristen", "Buddha", "Konghucu"]),
        "JENIS KAWIN NAMA": rng.choice(["Menikah", "Belum Kawin"]),
        "NIK": nik,
        "NOMOR HP": f"08{rng.randint(1000000000, 9999999999)}",
        "EMAIL": f"{row.nama.split()[0].lower()}{rng.randint(1, 999)}@contoh.id",
        "ALAMAT": f"Jl. Gajah Mada No. {rng.randint(1, 200)}",
        "NPWP NOMOR": f"{rng.randint(10, 99)}.{rng.randint(100, 999)}.{rng.randint(100, 999)}.{rng.randint(1, 9)}",
        "BPJS": f"000{rng.randint(1000000000, 9999999999)}",
        "JENIS PEGAWAI NAMA": jenis_pegawai_nama(row),
        "KEDUDUKAN HUKUM NAMA": kedudukan,
        "STATUS CPNS PNS": "P",
        "TMT CPNS": f"01-{row.nip[12:14]}-{row.nip[8:12]}" if row.jenis_asn == "PNS" else "",
        "GOL AKHIR NAMA": row.golongan,
        "JENIS JABATAN NAMA": jenis_jabatan_nama(row.jenjang),
        "JABATAN ID": siasn_id(unor_id, "jabatan", row.jabatan),
        "JABATAN NAMA": row.jabatan,
        "TMT JABATAN": _date(row.tmt_jabatan),
        "TINGKAT PENDIDIKAN NAMA": PENDIDIKAN_SIASN[row.pendidikan],
        "PENDIDIKAN NAMA": f"{PENDIDIKAN_SIASN[row.pendidikan]} Umum",
        "UNOR ID": unor_id,
        "UNOR NAMA": row.unit_kerja,
        "INSTANSI INDUK NAMA": instansi_kerja_nama(row.instansi_kode),
        "INSTANSI KERJA ID": siasn_id("instansi", row.instansi_kode),
        "INSTANSI KERJA NAMA": instansi_kerja_nama(row.instansi_kode),
        "SATUAN KERJA KERJA NAMA": row.unit_kerja,
    }


def in_instansi(rows: list[PegawaiRow], kode: str) -> list[PegawaiRow]:
    """The same pegawai, all in one instansi (an operator's monthly download)."""
    return [dataclasses.replace(row, instansi_kode=kode) for row in rows]


def siasn_records(rows: list[PegawaiRow], *, seed: int = 2026, inactive: dict[str, str] | None = None) -> list[dict]:
    """SIASN rows of the pegawai; `inactive` gives the KEDUDUKAN HUKUM NAMA of some NIPs."""
    rng = random.Random(seed)
    inactive = inactive or {}
    return [siasn_record(row, rng, kedudukan=inactive.get(row.nip, "Aktif")) for row in rows]


def siasn_csv(records: list[dict], headers: list[str] = SIASN_HEADERS) -> bytes:
    return write_csv(headers, ([record[h] for h in headers] for record in records))
