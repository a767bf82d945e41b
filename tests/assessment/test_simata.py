"""The talent mapping handed back to SIASN/SIMATA: the files (command and page) and the push.

The push is tested against a local HTTP server on 127.0.0.1 that plays the documented contract
(siasn-format.md §3): `POST /tm/talentmapping-save` with two bearer tokens, one ASN per request.
"""

import csv
import io
import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.urls import reverse
from openpyxl import load_workbook

from asn.models import Pegawai
from assessment.models import Penempatan
from tests.assessment.test_placements import seed

pytestmark = pytest.mark.django_db

FIELDS = ["pns_id", "nip", "box", "sumbu_x", "sumbu_y", "total_sumbu"]


@pytest.fixture
def mapped(periode_2026):
    """Placements of a few instansi, computed by the command, with SIASN's PNS ID on every pegawai."""
    seed(150, seed=5)
    Pegawai.objects.update(pns_id=Concat(Value("A8ACA7"), F("nip")))
    call_command("compute_placements", tahun=2026, stdout=io.StringIO())
    return periode_2026


def expected(**filters) -> list[list[str]]:
    """The records as the placements hold them, computed apart from the export code."""
    rows = []
    for p in (
        Penempatan.objects.filter(lengkap=True, **filters)
        .select_related("pegawai", "instansi")
        .order_by("instansi__kode", "pegawai__nip")
    ):
        rows.append(
            [
                p.pegawai.pns_id,
                p.pegawai.nip,
                str(p.kotak),
                f"{p.skor_potensial:.2f}",
                f"{p.skor_kinerja:.2f}",
                f"{p.skor_potensial + p.skor_kinerja:.2f}",
            ]
        )
    return rows


def read_csv(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_export_command_writes_one_record_per_complete_placement(mapped, tmp_path):
    assert Penempatan.objects.filter(lengkap=False).exists()  # the incomplete ones are left out
    out = io.StringIO()
    call_command("export_simata", tahun=2026, output=tmp_path / "simata.csv", stdout=out)
    rows = read_csv((tmp_path / "simata.csv").read_bytes())
    assert rows[0] == FIELDS
    assert rows[1:] == expected()
    assert out.getvalue().strip() == f"{len(rows) - 1} pegawai ditulis ke {tmp_path / 'simata.csv'}."

    call_command("export_simata", tahun=2026, output=tmp_path / "simata.json", instansi="6101", stdout=out)
    document = json.loads((tmp_path / "simata.json").read_text(encoding="utf-8"))
    assert document["periode"] == 2026
    assert any("total_sumbu: sumbu_x + sumbu_y" in line for line in document["keterangan"])
    assert [
        [r["pns_id"], r["nip"], str(r["box"]), f"{r['sumbu_x']:.2f}", f"{r['sumbu_y']:.2f}", f"{r['total_sumbu']:.2f}"]
        for r in document["data"]
    ] == expected(instansi__kode="6101")

    call_command("export_simata", tahun=2026, output=tmp_path / "simata.xlsx", stdout=out)
    workbook = load_workbook(tmp_path / "simata.xlsx", read_only=True)
    assert workbook.sheetnames == ["pemetaan_talenta", "README"]
    data = [[str(v) for v in row] for row in workbook["pemetaan_talenta"].iter_rows(values_only=True)]
    assert data == [FIELDS, *expected()]
    readme = [row[0] for row in workbook["README"].iter_rows(values_only=True)]
    assert readme[0] == "keterangan"
    assert any(line.startswith("total_sumbu: sumbu_x + sumbu_y (0-200). Asumsi:") for line in readme)


def test_export_command_refuses_bad_arguments(mapped, tmp_path):
    with pytest.raises(CommandError, match=r"^Berkas keluaran harus berakhiran \.csv, \.json atau \.xlsx\.$"):
        call_command("export_simata", tahun=2026, output=tmp_path / "simata.pdf")
    with pytest.raises(CommandError, match="^Periode 2031 belum ada.$"):
        call_command("export_simata", tahun=2031, output=tmp_path / "simata.csv")
    with pytest.raises(CommandError, match="^Kode instansi 9999 tidak dikenal.$"):
        call_command("export_simata", tahun=2026, output=tmp_path / "simata.csv", instansi="9999")
    assert not list(tmp_path.iterdir())


def test_period_page_offers_the_files_of_the_users_own_instansi(mapped, operator_client, ppk_client, outsider_client):
    page = operator_client.get(reverse("assessment:periode-detail", args=[2026]))
    link = reverse("assessment:simata-export", args=[2026]) + "?format=csv"
    assert f'href="{link}"' in page.content.decode()
    response = operator_client.get(link)
    assert response["Content-Disposition"] == 'attachment; filename="simata-2026.csv"'
    assert read_csv(response.content)[1:] == expected(instansi__kode="6101")
    assert read_csv(ppk_client.get(link).content)[1:] == expected(instansi__kode="6101")
    # Another instansi's operator gets the records of their own instansi, never 6101's.
    assert read_csv(outsider_client.get(link).content)[1:] == expected(instansi__kode="6102")
    assert outsider_client.get(link + "&instansi=6101").status_code == 404


# --- the push ------------------------------------------------------------------------------------------


class FakeSiasn(BaseHTTPRequestHandler):
    """SIASN's talent-mapping save as documented; some PNS IDs play a refusal, a timeout, an outage."""

    server: "FakeSiasnServer"

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append((self.path, self.headers["Authorization"], self.headers["Auth"], body))
        attempt = sum(1 for *_, seen in self.server.requests if seen["pns_id"] == body["pns_id"])
        if self.headers["Authorization"] != "Bearer token-klien" or self.headers["Auth"] != "bearer token-sso":
            self._answer(401, {"message": "token tidak sah"})
        elif body["pns_id"] == self.server.refused:
            self._answer(422, {"message": "pns_id tidak terdaftar"})
        elif body["pns_id"] == self.server.slow and attempt == 1:
            time.sleep(1.5)  # past the client's timeout: the first attempt times out, the retry lands
            self._answer(200, {"success": True})
        elif body["pns_id"] == self.server.down:
            self._answer(503, {"message": "layanan sedang pemeliharaan"})
        else:
            self.server.saved[body["pns_id"]] = body
            self._answer(200, {"success": True})

    def _answer(self, status, body):
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        try:
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (the timeout case)

    def log_message(self, *args):
        pass


class FakeSiasnServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), FakeSiasn)
        self.requests, self.saved = [], {}
        self.refused = self.slow = self.down = None


@pytest.fixture
def siasn(settings):
    server = FakeSiasnServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SIMATA_BASE_URL = f"http://127.0.0.1:{server.server_address[1]}/"
    settings.SIMATA_TOKEN = "token-klien"
    settings.SIMATA_SSO_TOKEN = "token-sso"
    settings.SIMATA_TIMEOUT = 0.5
    settings.SIMATA_RETRIES = 2
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def busiest(mapped):
    """The instansi with the most complete placements in the seeded world (the push tests need four)."""
    counts = Counter(Penempatan.objects.filter(lengkap=True).values_list("instansi__kode", flat=True))
    kode, count = counts.most_common(1)[0]
    assert count >= 4
    return kode


def complete_in(kode):
    return list(
        Penempatan.objects.filter(lengkap=True, instansi__kode=kode)
        .order_by("pegawai__nip")
        .values_list("pegawai__pns_id", "pegawai__nip", "kotak", "skor_potensial", "skor_kinerja")
    )


def test_push_sends_every_record_with_both_tokens_and_reports_success(busiest, siasn, tmp_path):
    out = io.StringIO()
    call_command("push_simata", tahun=2026, instansi=busiest, batch=2, laporan=tmp_path / "laporan.json", stdout=out)
    records = complete_in(busiest)
    assert {path for path, *_ in siasn.requests} == {"/tm/talentmapping-save"}
    assert siasn.saved == {
        pns_id: {
            "pns_id": pns_id,
            "box": kotak,
            "sumbu_x": float(potensial),
            "sumbu_y": float(kinerja),
            "total_sumbu": float(potensial + kinerja),
        }
        for pns_id, _, kotak, potensial, kinerja in records
    }
    lines = out.getvalue().splitlines()
    batches = -(-len(records) // 2)
    assert lines[0] == f"Batch 1/{batches}: 2 diterima, 0 ditolak, 0 gagal sejauh ini."
    total = len(records)
    assert lines[-1] == f"{total} dari {total} pegawai diterima SIASN; 0 ditolak, 0 gagal, 0 tanpa PNS ID."
    report = json.loads((tmp_path / "laporan.json").read_text(encoding="utf-8"))
    assert report == {"diterima": len(records), "ditolak": [], "gagal": [], "tanpa_pns_id": []}
    assert "token-klien" not in out.getvalue() and "token-sso" not in out.getvalue()


def test_push_retries_a_timeout_reports_a_refusal_and_an_outage(busiest, siasn, tmp_path):
    records = complete_in(busiest)
    (refused_pns, refused_nip, *_), (slow_pns, slow_nip, *_), (down_pns, down_nip, *_) = records[:3]
    siasn.refused, siasn.slow, siasn.down = refused_pns, slow_pns, down_pns
    Pegawai.objects.filter(nip=records[3][1]).update(pns_id="")
    out = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("push_simata", tahun=2026, instansi=busiest, laporan=tmp_path / "laporan.json", stdout=out)
    accepted = len(records) - 3  # the refusal, the outage and the one without a PNS ID are not
    assert str(failure.value) == (
        f"{accepted} dari {len(records)} pegawai diterima SIASN; 1 ditolak, 1 gagal, 1 tanpa PNS ID."
    )
    attempts = [body["pns_id"] for *_, body in siasn.requests]
    assert attempts.count(refused_pns) == 1  # a refusal is final
    assert attempts.count(slow_pns) == 2 and slow_pns in siasn.saved  # timed out once, then retried
    assert attempts.count(down_pns) == 3  # the first try and two retries
    report = json.loads((tmp_path / "laporan.json").read_text(encoding="utf-8"))
    assert report == {
        "diterima": accepted,
        "ditolak": [{"nip": refused_nip, "pesan": "HTTP 422: pns_id tidak terdaftar"}],
        "gagal": [{"nip": down_nip, "pesan": "HTTP 503: layanan sedang pemeliharaan"}],
        "tanpa_pns_id": [records[3][1]],
    }
    assert f"{refused_nip}: ditolak SIASN (HTTP 422: pns_id tidak terdaftar)." in out.getvalue().splitlines()
    assert slow_nip not in out.getvalue()
    assert "token-klien" not in out.getvalue() + str(failure.value)


def test_push_without_configuration_says_so_and_sends_nothing(mapped, settings):
    settings.SIMATA_BASE_URL = ""
    with pytest.raises(CommandError) as failure:
        call_command("push_simata", tahun=2026)
    assert str(failure.value) == (
        "SIMATA belum dikonfigurasi: setel SIMATA_BASE_URL, SIMATA_TOKEN dan SIMATA_SSO_TOKEN di lingkungan. "
        "Tidak ada yang dikirim."
    )
