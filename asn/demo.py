"""Realistic, deterministic Kalbar demo data: used by `seed_demo`, the benchmarks and tests."""

import datetime as dt
import random

from .importers import PegawaiRow
from .reference import INSTANSI

# Given names common in West Kalimantan: Dayak, Malay, Chinese-Indonesian, Javanese and Bugis.
NAMA_DEPAN_L = [
    "Yohanes", "Antonius", "Stefanus", "Agustinus", "Paulus", "Markus", "Petrus", "Fransiskus",
    "Muhammad", "Ahmad", "Syarif", "Abdul", "Rahmad", "Hendri", "Rudi", "Budi", "Agus", "Andi",
    "Hendra", "Suryadi", "Bambang", "Joko", "Sugianto", "Iskandar", "Firdaus", "Hasanuddin",
    "Apui", "Lim", "Tjhai", "Bong", "Acong", "Edi", "Dedi", "Irwan", "Zulkarnain", "Herman",
]  # fmt: skip
NAMA_DEPAN_P = [
    "Maria", "Theresia", "Yuliana", "Veronika", "Agnes", "Lusia", "Margaretha", "Katarina",
    "Siti", "Nur", "Rina", "Sri", "Dewi", "Fitri", "Rahmawati", "Nurhayati", "Yanti", "Wulan",
    "Lilis", "Linda", "Meliana", "Susanti", "Hartini", "Ernawati", "Syarifah", "Utin", "Dayang",
    "Fransiska", "Elisabeth", "Monika", "Wiwik", "Indah", "Ratna", "Mariani", "Juliana", "Aisyah",
]  # fmt: skip
NAMA_BELAKANG = [
    "Apui", "Nyarong", "Djuang", "Kilat", "Ngadan", "Lanting", "Bungai", "Jalong", "Sudin",
    "Alkadrie", "Alqadri", "Hamid", "Rahman", "Saleh", "Usman", "Yusuf", "Mahmud", "Ismail",
    "Wijaya", "Tanjaya", "Halim", "Gunawan", "Setiawan", "Santoso", "Prasetyo", "Susanto",
    "Pratama", "Saputra", "Hidayat", "Kurniawan", "Daeng", "Lamaddukelleng", "Effendi",
]  # fmt: skip
GELAR_BELAKANG = [
    "S.E.",
    "S.Sos.",
    "S.H.",
    "S.Kom.",
    "S.T.",
    "S.Pd.",
    "S.Kep., Ns.",
    "S.I.P.",
    "M.Si.",
    "M.M.",
]

UNIT_KERJA = [
    "Sekretariat Daerah",
    "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
    "Badan Perencanaan Pembangunan Daerah",
    "Badan Pengelolaan Keuangan dan Aset Daerah",
    "Inspektorat Daerah",
    "Dinas Pendidikan dan Kebudayaan",
    "Dinas Kesehatan",
    "Rumah Sakit Umum Daerah",
    "Dinas Pekerjaan Umum dan Penataan Ruang",
    "Dinas Pertanian dan Perkebunan",
    "Dinas Sosial",
    "Dinas Kependudukan dan Pencatatan Sipil",
    "Dinas Komunikasi dan Informatika",
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
]

# (jabatan, jenjang, weight, golongan choices for PNS, pendidikan choices)
JABATAN_POOL = [
    ("Kepala", "JPT Pratama", 1, ["IV/b", "IV/c", "IV/d"], ["S2", "S2", "S3"]),
    ("Sekretaris", "Administrator", 1, ["III/d", "IV/a", "IV/b"], ["S1", "S2"]),
    ("Kepala Bidang Program dan Pelaporan", "Administrator", 1, ["III/d", "IV/a", "IV/b"], ["S1", "S2"]),
    ("Kepala Bidang Pelayanan", "Administrator", 1, ["III/d", "IV/a"], ["S1", "S2"]),
    ("Kepala Subbagian Umum dan Kepegawaian", "Pengawas", 2, ["III/b", "III/c", "III/d"], ["S1", "S2", "D4"]),
    ("Kepala Seksi Pelayanan", "Pengawas", 2, ["III/b", "III/c", "III/d"], ["S1", "D4"]),
    ("Analis Sumber Daya Manusia Aparatur Ahli Madya", "Ahli Madya", 1, ["IV/a", "IV/b", "IV/c"], ["S2", "S1"]),
    ("Analis Sumber Daya Manusia Aparatur Ahli Muda", "Ahli Muda", 3, ["III/c", "III/d"], ["S1", "S2"]),
    ("Perencana Ahli Muda", "Ahli Muda", 2, ["III/c", "III/d"], ["S1", "S2"]),
    ("Perencana Ahli Pertama", "Ahli Pertama", 3, ["III/a", "III/b"], ["S1"]),
    ("Pranata Komputer Ahli Pertama", "Ahli Pertama", 2, ["III/a", "III/b"], ["S1", "D4"]),
    ("Pranata Komputer Terampil", "Terampil", 2, ["II/c", "II/d", "III/a"], ["D3"]),
    ("Perawat Mahir", "Mahir", 2, ["III/a", "III/b"], ["D3", "S1"]),
    ("Perawat Penyelia", "Penyelia", 1, ["III/c", "III/d"], ["D3", "S1"]),
    ("Pengadministrasi Perkantoran", "Pelaksana", 8, ["II/a", "II/b", "II/c", "II/d", "III/a"], ["SLTA", "D3", "S1"]),
    ("Penata Layanan Operasional", "Pelaksana", 6, ["II/c", "II/d", "III/a", "III/b"], ["SLTA", "D3", "S1"]),
    ("Pengolah Data dan Informasi", "Pelaksana", 4, ["II/b", "II/c", "III/a"], ["SLTA", "D3", "S1"]),
]  # fmt: skip
PPPK_GOLONGAN = {"Ahli Pertama": "IX", "Ahli Muda": "X", "Terampil": "VII", "Mahir": "VII", "Pelaksana": "V"}

# Share of the demo pegawai per instansi: the province is the largest employer.
INSTANSI_WEIGHT = {"61": 4, "6171": 2, "6112": 2, "6106": 2}


def _nip(rng: random.Random, birth: dt.date, tmt: dt.date, gender: str, used: set[str]) -> str:
    first15 = f"{birth:%Y%m%d}{tmt:%Y%m}{gender}"
    for sequence in range(1, 1000):
        nip = f"{first15}{sequence:03d}"
        if nip not in used:
            used.add(nip)
            return nip
    raise RuntimeError("NIP space exhausted")


def generate_pegawai(
    n: int, *, seed: int = 2026, today: dt.date, nip_taken: set[str] | None = None
) -> list[PegawaiRow]:
    """n pegawai spread over the 15 instansi with valid NIPs and plausible careers.

    `nip_taken` holds the NIPs of earlier calls (it grows with this call's), so that blocks generated
    one after another are different people rather than new versions of the same ones.
    """
    rng = random.Random(seed)
    used = set() if nip_taken is None else nip_taken
    kodes = [kode for kode, _, _ in INSTANSI]
    weights = [INSTANSI_WEIGHT.get(kode, 1) for kode in kodes]
    jabatan_weights = [weight for _, _, weight, _, _ in JABATAN_POOL]
    rows = []
    for index in range(n):
        kode = rng.choices(kodes, weights)[0]
        jabatan, jenjang, _, golongan_pns, pendidikan = rng.choices(JABATAN_POOL, jabatan_weights)[0]
        is_pppk = jenjang in PPPK_GOLONGAN and rng.random() < 0.2
        age = rng.randint(24, 57) if jenjang not in ("JPT Pratama", "Administrator") else rng.randint(38, 58)
        birth = dt.date(today.year - age, rng.randint(1, 12), rng.randint(1, 28))
        start_year = min(today.year - 1, birth.year + rng.randint(22, 32))
        tmt = dt.date(start_year, rng.randint(1, 12), 1)
        gender = rng.choice("12")
        first_names = NAMA_DEPAN_L if gender == "1" else NAMA_DEPAN_P
        nama = f"{rng.choice(first_names)} {rng.choice(NAMA_BELAKANG)}"
        edu = rng.choice(pendidikan)
        rows.append(
            PegawaiRow(
                row=index + 2,
                nip=_nip(rng, birth, tmt, gender, used),
                nama=nama,
                gelar_depan="Dr." if edu == "S3" else "",
                gelar_belakang=rng.choice(GELAR_BELAKANG) if edu in ("S1", "S2", "S3", "D4") else "",
                jenis_asn="PPPK" if is_pppk else "PNS",
                instansi_kode=kode,
                unit_kerja=rng.choice(UNIT_KERJA),
                jabatan=jabatan,
                jenjang=jenjang,
                golongan=PPPK_GOLONGAN[jenjang] if is_pppk else rng.choice(golongan_pns),
                pendidikan=edu,
                tmt_jabatan=dt.date(
                    rng.randint(max(start_year, today.year - 8), today.year - 1), rng.randint(1, 12), 1
                ),
            )
        )
    return rows


def pegawai_row_cells(row: PegawaiRow) -> list[str]:
    """The row as the cells of a `pegawai` import file, in the column order of the template."""
    return [
        row.nip,
        row.nama,
        row.gelar_depan,
        row.gelar_belakang,
        row.jenis_asn,
        row.instansi_kode,
        row.unit_kerja,
        row.jabatan,
        row.jenjang,
        row.golongan,
        row.pendidikan,
        row.tmt_jabatan.isoformat() if row.tmt_jabatan else "",
    ]
