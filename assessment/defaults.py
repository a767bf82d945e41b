"""The default scheme "Skema Bawaan 2026.1" (default-scheme.md §2–§4), loaded by a data migration."""

DEFAULT_SCHEME_NAME = "Skema Bawaan 2026.1"

DEFAULT_SCHEME = {
    "bobot_kompetensi": "40",
    "bobot_potensi": "25",
    "bobot_kualifikasi": "20",
    "bobot_disiplin": "15",
    "skor_predikat": {
        "Sangat Baik": 100,
        "Baik": 80,
        "Butuh Perbaikan": 60,
        "Kurang/Misconduct": 40,
        "Sangat Kurang": 20,
    },
    "skor_pendidikan": {
        "S3": 100,
        "S2": 90,
        "S1": 80,
        "D4": 80,
        "D3": 70,
        "D2": 65,
        "D1": 60,
        "SLTA": 60,
        "SMP": 50,
        "SD": 40,
    },  # fmt: skip
    "skor_disiplin": {"Tidak ada": 100, "Ringan": 70, "Sedang": 40, "Berat": 0},
    "batas_kinerja_atas": "90",
    "batas_kinerja_sesuai": "70",
    "batas_potensial_tinggi": "80",
    "batas_potensial_menengah": "60",
    "jumlah_tahun_skp": 2,
    "masa_berlaku_asesmen_tahun": 3,
    "jendela_disiplin_tahun": 2,
}


def load_default_scheme(apps) -> None:
    Skema = apps.get_model("assessment", "Skema")
    Skema.objects.update_or_create(instansi=None, nama=DEFAULT_SCHEME_NAME, defaults={**DEFAULT_SCHEME, "bawaan": True})
