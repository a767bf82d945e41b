"""The rule of `scoring.place`, specialised for placing one instansi's pegawai at once.

`scoring.place` is the readable rule, one pegawai at a time over dataclasses. A recompute of an
instansi of 20,000 pegawai spent most of its time building those objects, so `Placer` takes the
loader's plain tuples and works out once per period and scheme what every pegawai shares: the SKP
years and their score, the assessment and discipline windows, and the few distinct JPM quotients
(a JPM depends only on the two sums of levels, at most 45 by 45). The arithmetic is the same
Decimal arithmetic in the same order, so results are equal, not merely close;
tests/assessment/test_scoring_batch.py checks that on generated inputs, boundaries included.

Inputs per pegawai (as `services.placements_compute` loads them):
- skp: {tahun: (id, predikat)}
- asesmen: [(id, tanggal, lembaga, skor_potensi, levels)]
- sanksi: [(id, tanggal_sk, tingkat)]
"""

import datetime as dt
import json
from decimal import Decimal

from asn.reference import KOMPETENSI_FIELDS

from . import scoring
from .scoring import HUNDRED, SchemeParams, round2

HEAVINESS = {tingkat: rank for rank, tingkat in enumerate(scoring.TINGKAT_DISIPLIN)}
# The text `json.dumps(value, ensure_ascii=False)` gives, which is what `rincian_text` must equal piece by piece.
_dumps = json.JSONEncoder(ensure_ascii=False).encode


class Placer:
    """Places pegawai under one scheme in one period.

    `place` returns the values of `services.RESULT_FIELDS`, with a compact key in place of `rincian`:
    equal keys give equal details. `rincian` builds the detail from the key as a dict (the readable
    form); `rincian_text` builds the same detail as its JSON text, which the recompute fingerprints
    and writes without building the dict.
    """

    def __init__(self, *, tahun: int, tanggal_acuan: dt.date, scheme: SchemeParams):
        self.scheme = scheme
        self.tanggal_acuan = tanggal_acuan
        self.years = scoring.skp_years(tahun, scheme)
        self.valid_from = scoring.years_before(tanggal_acuan, scheme.masa_berlaku_asesmen_tahun)
        self.valid_from_iso = self.valid_from.isoformat()
        self.window_start = scoring.years_before(tanggal_acuan, scheme.jendela_disiplin_tahun)
        self.window_start_iso = self.window_start.isoformat()
        self.sanction_reason = {
            tingkat: f"Hukuman disiplin tingkat {tingkat} dalam {scheme.jendela_disiplin_tahun} tahun terakhir"
            for tingkat in ("Sedang", "Berat")
        }
        self.skor_text = {predikat: str(skor) for predikat, skor in scheme.skor_predikat.items()}
        self._kinerja = {}
        self._jpm = {}
        self._next_levels = {}
        # The JSON pieces that recur: built once, so `rincian_text` only fills in each row's ids and dates.
        self._json = {}
        self._skp_head = {}
        self._skp_missing = [_dumps({"tahun": year, "predikat": None, "skor": None, "id": None}) for year in self.years]
        self._levels_format = "{" + ", ".join(f"{_dumps(name)}: %d" for name in KOMPETENSI_FIELDS) + "}"
        self._middle_format = (
            f', "asesmen_berlaku_sejak": {_dumps(self.valid_from_iso)}, "asesmen_valid": %s, "standar": %s,'
            ' "standar_berikutnya": %s, "pendidikan": %s, "disiplin": {"terberat": %s, "jendela_mulai": '
            f'{_dumps(self.window_start_iso)}, "sanksi": ['
        )

    def _kinerja_of(self, predikat_by_year: tuple) -> tuple:
        """(K, category, every year present, pool reasons of the SKP rule) for the predikat of each year."""
        cached = self._kinerja.get(predikat_by_year)
        if cached is None:
            scores = [self.scheme.skor_predikat[p] for p in predikat_by_year if p is not None]
            skor = round2(Decimal(sum(scores)) / len(scores)) if scores else None
            kategori = scoring.kinerja_category(skor, self.scheme) if scores else ""
            missing = [
                f"SKP {year} tidak ada" for year, p in zip(self.years, predikat_by_year, strict=True) if p is None
            ]
            low = [
                f"Predikat SKP {year} di bawah Baik"
                for year, p in zip(self.years, predikat_by_year, strict=True)
                if p is not None and p not in scoring.PREDIKAT_BAIK_ATAU_LEBIH
            ]
            cached = (skor, kategori, len(scores) == len(self.years), missing + low)
            self._kinerja[predikat_by_year] = cached
        return cached

    def _jpm_of(self, achieved: int, required: int) -> Decimal:
        key = (achieved, required)
        value = self._jpm.get(key)
        if value is None:
            value = self._jpm[key] = round2(Decimal(achieved) * HUNDRED / Decimal(required))
        return value

    def _next_of(self, required: tuple) -> tuple:
        value = self._next_levels.get(required)
        if value is None:
            value = self._next_levels[required] = scoring.next_level_standard(required)
        return value

    def place(
        self,
        pendidikan: str | None,
        required: tuple[int, ...],
        skp: dict,
        asesmen: list,
        sanksi: list,
        calibrated_box: int | None = None,
    ) -> tuple:
        scheme = self.scheme
        years = self.years
        acuan = self.tanggal_acuan
        reasons = []

        used = [skp.get(year) for year in years]
        skor_kinerja, kategori_kinerja, skp_lengkap, skp_pool_reasons = self._kinerja_of(
            tuple(s[1] if s is not None else None for s in used)
        )
        if skor_kinerja is None:
            reasons.append(scoring.ALASAN_KINERJA)

        latest = None
        for a in asesmen:
            if a[1] <= acuan and (latest is None or a[1] > latest[1]):
                latest = a
        valid = latest is not None and latest[1] >= self.valid_from
        if latest is None:
            reasons.append(scoring.ALASAN_ASESMEN_TIDAK_ADA)
        elif not valid:
            reasons.append(scoring.ALASAN_ASESMEN_KEDALUWARSA)
        if pendidikan is None:
            reasons.append(scoring.ALASAN_PENDIDIKAN)

        window_start = self.window_start
        in_window = [s for s in sanksi if window_start <= s[1] <= acuan]
        heaviest = max((s[2] for s in in_window), key=HEAVINESS.__getitem__) if in_window else None
        komponen_disiplin = scheme.skor_disiplin[heaviest or scoring.TANPA_HUKUMAN]

        next_levels = self._next_of(required)
        jpm = jpm_berikutnya = komponen_kompetensi = komponen_potensi = komponen_kualifikasi = None
        skor_potensial, kategori_potensial = None, ""
        if valid:
            achieved = sum(latest[4])
            jpm = self._jpm_of(achieved, sum(required))
            jpm_berikutnya = self._jpm_of(achieved, sum(next_levels))
            komponen_kompetensi = min(jpm_berikutnya, HUNDRED)
            komponen_potensi = latest[3]
        if pendidikan is not None:
            komponen_kualifikasi = scheme.skor_pendidikan[pendidikan]
        if valid and pendidikan is not None:
            weighted = (
                scheme.bobot_kompetensi * komponen_kompetensi
                + scheme.bobot_potensi * komponen_potensi
                + scheme.bobot_kualifikasi * komponen_kualifikasi
                + scheme.bobot_disiplin * komponen_disiplin
            )
            skor_potensial = round2(weighted / HUNDRED)
            kategori_potensial = scoring.potensial_category(skor_potensial, scheme)

        lengkap = not reasons
        kotak_hitung = kotak = None
        krs, label_krs, alasan_krs = False, "", ""
        if lengkap:
            kotak_hitung = scoring.BOX[(kategori_kinerja, kategori_potensial)]
            kotak = calibrated_box or kotak_hitung
            if kotak in scoring.POOL_BOXES:
                out_of_pool = skp_pool_reasons
                if heaviest in self.sanction_reason:
                    out_of_pool = [*out_of_pool, self.sanction_reason[heaviest]]
                if out_of_pool:
                    alasan_krs = "; ".join(out_of_pool)
                else:
                    krs = True
                    label_krs = scoring.LABEL_KRS_NASIONAL if kotak == 9 else scoring.LABEL_KRS_INSTANSI

        # What the detail shown on the profile is made of; `rincian` builds it, only for rows that are written.
        rincian = (tuple(used), latest, valid, required, next_levels, pendidikan, heaviest, tuple(in_window))
        return (
            skor_kinerja,
            kategori_kinerja,
            skor_potensial,
            kategori_potensial,
            jpm,
            jpm_berikutnya,
            komponen_kompetensi,
            komponen_potensi,
            komponen_kualifikasi,
            komponen_disiplin,
            kotak_hitung,
            kotak,
            krs,
            label_krs,
            alasan_krs,
            lengkap,
            "; ".join(reasons),
            skp_lengkap,
            rincian,
        )

    def rincian(self, key: tuple) -> dict:
        """The `rincian` of a placement from the key `place` returned in its place."""
        used, latest, valid, required, next_levels, pendidikan, heaviest, in_window = key
        skor_text = self.skor_text
        return {
            "skp": [
                {"tahun": year, "predikat": s[1], "skor": skor_text[s[1]], "id": s[0]}
                if s is not None
                else {"tahun": year, "predikat": None, "skor": None, "id": None}
                for year, s in zip(self.years, used, strict=True)
            ],
            "asesmen": None
            if latest is None
            else {
                "id": latest[0],
                "tanggal": latest[1].isoformat(),
                "lembaga": latest[2],
                "skor_potensi": str(latest[3]),
                "levels": dict(zip(KOMPETENSI_FIELDS, latest[4], strict=True)),
            },
            "asesmen_berlaku_sejak": self.valid_from_iso,
            "asesmen_valid": valid,
            "standar": list(required),
            "standar_berikutnya": list(next_levels),
            "pendidikan": pendidikan,
            "disiplin": {
                "terberat": heaviest,
                "jendela_mulai": self.window_start_iso,
                "sanksi": [{"id": s[0], "tanggal_sk": s[1].isoformat(), "tingkat": s[2]} for s in in_window],
            },
        }

    def _as_json(self, value) -> str:
        """The JSON text of a recurring value: a string, None or a tuple of levels (a list in JSON)."""
        text = self._json.get(value)
        if text is None:
            text = self._json[value] = _dumps(list(value) if isinstance(value, tuple) else value)
        return text

    def rincian_text(self, key: tuple) -> str:
        """`json.dumps(self.rincian(key), ensure_ascii=False)`, without building the dict first.

        The same text, character for character (tests/assessment/test_rincian_text.py): ids and levels
        are integers, dates and scores go as their text, and every string goes through the JSON encoder.
        """
        used, latest, valid, required, next_levels, pendidikan, heaviest, in_window = key
        as_json = self._as_json
        skp = []
        for index, s in enumerate(used):
            if s is None:
                skp.append(self._skp_missing[index])
                continue
            head = self._skp_head.get((index, s[1]))
            if head is None:
                year = self.years[index]
                skor = self.skor_text[s[1]]
                head = self._skp_head[(index, s[1])] = (
                    f'{{"tahun": {_dumps(year)}, "predikat": {_dumps(s[1])}, "skor": {_dumps(skor)}, "id": '
                )
            skp.append(f"{head}{s[0]}}}")
        if latest is None:
            asesmen = "null"
        else:
            asesmen = (
                f'{{"id": {latest[0]}, "tanggal": "{latest[1].isoformat()}", "lembaga": {as_json(latest[2])}, '
                f'"skor_potensi": "{latest[3]!s}", "levels": {self._levels_format % latest[4]}}}'
            )
        middle = self._middle_format % (
            "true" if valid else "false",
            as_json(required),
            as_json(next_levels),
            as_json(pendidikan),
            as_json(heaviest),
        )
        sanksi = ", ".join(
            f'{{"id": {s[0]}, "tanggal_sk": "{s[1].isoformat()}", "tingkat": {as_json(s[2])}}}' for s in in_window
        )
        return f'{{"skp": [{", ".join(skp)}], "asesmen": {asesmen}{middle}{sanksi}]}}}}'
