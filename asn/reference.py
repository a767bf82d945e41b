"""Reference data fixed by regulation (talent-rules.md §6–§7, default-scheme.md §4 and §7).

Loaded into the database by data migrations; kept here so tests, the seeder and the migrations
read one list. Changing a list needs a new data migration.
"""

# (kode Kemendagri, nama resmi, jenis daerah)
INSTANSI = [
    ("61", "Provinsi Kalimantan Barat", "provinsi"),
    ("6101", "Kabupaten Sambas", "kabupaten"),
    ("6102", "Kabupaten Bengkayang", "kabupaten"),
    ("6103", "Kabupaten Landak", "kabupaten"),
    ("6104", "Kabupaten Mempawah", "kabupaten"),
    ("6105", "Kabupaten Sanggau", "kabupaten"),
    ("6106", "Kabupaten Ketapang", "kabupaten"),
    ("6107", "Kabupaten Sintang", "kabupaten"),
    ("6108", "Kabupaten Kapuas Hulu", "kabupaten"),
    ("6109", "Kabupaten Sekadau", "kabupaten"),
    ("6110", "Kabupaten Melawi", "kabupaten"),
    ("6111", "Kabupaten Kayong Utara", "kabupaten"),
    ("6112", "Kabupaten Kubu Raya", "kabupaten"),
    ("6171", "Kota Pontianak", "kota"),
    ("6172", "Kota Singkawang", "kota"),
]

GOLONGAN_PNS = [
    ("I/a", "Juru Muda"),
    ("I/b", "Juru Muda Tingkat I"),
    ("I/c", "Juru"),
    ("I/d", "Juru Tingkat I"),
    ("II/a", "Pengatur Muda"),
    ("II/b", "Pengatur Muda Tingkat I"),
    ("II/c", "Pengatur"),
    ("II/d", "Pengatur Tingkat I"),
    ("III/a", "Penata Muda"),
    ("III/b", "Penata Muda Tingkat I"),
    ("III/c", "Penata"),
    ("III/d", "Penata Tingkat I"),
    ("IV/a", "Pembina"),
    ("IV/b", "Pembina Tingkat I"),
    ("IV/c", "Pembina Utama Muda"),
    ("IV/d", "Pembina Utama Madya"),
    ("IV/e", "Pembina Utama"),
]

GOLONGAN_PPPK = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX",
    "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII",
]  # fmt: skip

# (kode, nama, kelompok, default competency level, BUP in years)
JENJANG = [
    ("jpt_utama", "JPT Utama", "manajerial", 5, 60),
    ("jpt_madya", "JPT Madya", "manajerial", 5, 60),
    ("jpt_pratama", "JPT Pratama", "manajerial", 4, 60),
    ("administrator", "Administrator", "manajerial", 3, 58),
    ("pengawas", "Pengawas", "manajerial", 2, 58),
    ("ahli_utama", "Ahli Utama", "fungsional_keahlian", 5, 65),
    ("ahli_madya", "Ahli Madya", "fungsional_keahlian", 4, 60),
    ("ahli_muda", "Ahli Muda", "fungsional_keahlian", 3, 58),
    ("ahli_pertama", "Ahli Pertama", "fungsional_keahlian", 2, 58),
    ("penyelia", "Penyelia", "fungsional_keterampilan", 2, 58),
    ("mahir", "Mahir", "fungsional_keterampilan", 2, 58),
    ("terampil", "Terampil", "fungsional_keterampilan", 1, 58),
    ("pemula", "Pemula", "fungsional_keterampilan", 1, 58),
    ("pelaksana", "Pelaksana", "pelaksana", 1, 58),
]

# (kode, nama lengkap), lowest first
PENDIDIKAN = [
    ("SD", "Sekolah Dasar"),
    ("SMP", "Sekolah Menengah Pertama"),
    ("SLTA", "Sekolah Lanjutan Tingkat Atas"),
    ("D1", "Diploma I"),
    ("D2", "Diploma II"),
    ("D3", "Diploma III"),
    ("D4", "Diploma IV"),
    ("S1", "Sarjana (S1)"),
    ("S2", "Magister (S2)"),
    ("S3", "Doktor (S3)"),
]

KOMPETENSI = [
    ("integritas", "Integritas"),
    ("kerja_sama", "Kerja Sama"),
    ("komunikasi", "Komunikasi"),
    ("orientasi_pada_hasil", "Orientasi pada Hasil"),
    ("pelayanan_publik", "Pelayanan Publik"),
    ("pengembangan_diri_dan_orang_lain", "Pengembangan Diri dan Orang Lain"),
    ("mengelola_perubahan", "Mengelola Perubahan"),
    ("pengambilan_keputusan", "Pengambilan Keputusan"),
    ("perekat_bangsa", "Perekat Bangsa"),
]
KOMPETENSI_FIELDS = [field for field, _ in KOMPETENSI]


def instansi_detail(kode: str, nama: str, jenis: str) -> dict:
    """HR agency and PPK title of an instansi daerah (talent-rules.md §6.4, §7.1)."""
    if jenis == "provinsi":
        return {
            "nama_bkd": "Badan Kepegawaian Daerah Provinsi Kalimantan Barat",
            "singkatan_bkd": "BKD",
            "jabatan_ppk": "Gubernur Kalimantan Barat",
        }
    place = nama.split(" ", 1)[1]
    return {
        "nama_bkd": f"Badan Kepegawaian dan Pengembangan Sumber Daya Manusia {nama}",
        "singkatan_bkd": "BKPSDM",
        "jabatan_ppk": f"Bupati {place}" if jenis == "kabupaten" else f"Wali Kota {place}",
    }


def load_reference_data(apps) -> None:
    """Create or refresh the reference rows; `apps` is the migration's or Django's app registry."""
    Instansi = apps.get_model("asn", "Instansi")
    Golongan = apps.get_model("asn", "Golongan")
    Jenjang = apps.get_model("asn", "Jenjang")
    Pendidikan = apps.get_model("asn", "Pendidikan")
    for kode, nama, jenis in INSTANSI:
        Instansi.objects.update_or_create(
            kode=kode, defaults={"nama": nama, "jenis": jenis, **instansi_detail(kode, nama, jenis)}
        )
    for urutan, (kode, pangkat) in enumerate(GOLONGAN_PNS, start=1):
        Golongan.objects.update_or_create(
            kode=kode, defaults={"jenis_asn": "PNS", "pangkat": pangkat, "urutan": urutan}
        )
    for urutan, kode in enumerate(GOLONGAN_PPPK, start=1):
        Golongan.objects.update_or_create(kode=kode, defaults={"jenis_asn": "PPPK", "pangkat": "", "urutan": urutan})
    for urutan, (kode, nama, kelompok, level, bup) in enumerate(JENJANG, start=1):
        Jenjang.objects.update_or_create(
            kode=kode,
            defaults={
                "nama": nama,
                "kelompok": kelompok,
                "level_standar": level,
                "bup": bup,
                "urutan": urutan,
            },
        )
    for urutan, (kode, nama) in enumerate(PENDIDIKAN, start=1):
        Pendidikan.objects.update_or_create(kode=kode, defaults={"nama": nama, "urutan": urutan})
