"""The talent mapping handed back to SIASN/SIMATA (siasn-format.md §3): the files and the push.

SIASN's talent-management save takes, per ASN, `pns_id, box, sumbu_x, sumbu_y, total_sumbu`. The
records come from `selectors.simata_records`; this module writes them as CSV, JSON or Excel (with a
README sheet stating what each field means), and pushes them to a SIASN-like endpoint.

The push follows the documented contract: `POST {base}/tm/talentmapping-save`, one ASN per request,
with two bearer tokens (`Authorization` and `Auth`). A 2xx answer is accepted; another 4xx is a
refusal (SIASN's message is kept, the record is not sent again); a timeout, 429 or 5xx is retried
with backoff and counted as failed when the retries run out. The tokens come from the environment
(settings `SIMATA_*`) and appear in no message, report or log line.
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from talenta.tabular import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, write_csv, write_xlsx_sheets

from .selectors import SIMATA_FIELDS

SAVE_PATH = "/tm/talentmapping-save"
CONTENT_TYPES = {"csv": CSV_CONTENT_TYPE, "json": "application/json", "xlsx": XLSX_CONTENT_TYPE}

README_LINES = [
    "Pemetaan talenta untuk SIASN/SIMATA BKN, diekspor oleh Talenta.",
    "Satu baris per pegawai yang penempatannya lengkap pada periode ini.",
    "pns_id: PNS ID dari SIASN (kosong bila pegawai belum pernah diimpor dari SIASN; baris itu tidak dikirim).",
    "nip: NIP 18 digit.",
    "box: kotak akhir 1-9 (setelah kalibrasi talent review).",
    "sumbu_x: skor potensial 0-100.",
    "sumbu_y: skor kinerja 0-100.",
    "total_sumbu: sumbu_x + sumbu_y (0-200). Asumsi: arti total_sumbu tidak didokumentasikan BKN secara publik;"
    " Talenta mengisinya dengan jumlah kedua sumbu.",
]


def _number(value: Decimal) -> str:
    return f"{value:.2f}"


def _cells(record: dict) -> list:
    return [
        record["pns_id"],
        record["nip"],
        record["box"],
        _number(record["sumbu_x"]),
        _number(record["sumbu_y"]),
        _number(record["total_sumbu"]),
    ]


def simata_csv(records: list[dict]) -> bytes:
    return write_csv(SIMATA_FIELDS, (_cells(r) for r in records))


def simata_xlsx(records: list[dict]) -> bytes:
    return write_xlsx_sheets(
        [
            ("pemetaan_talenta", SIMATA_FIELDS, (_cells(r) for r in records)),
            ("README", ["keterangan"], ([line] for line in README_LINES)),
        ]
    )


def payload(record: dict) -> dict:
    """One record as SIASN's save takes it: numbers as JSON numbers, two decimals."""
    return {
        "pns_id": record["pns_id"],
        "box": record["box"],
        "sumbu_x": float(record["sumbu_x"]),
        "sumbu_y": float(record["sumbu_y"]),
        "total_sumbu": float(record["total_sumbu"]),
    }


def simata_json(records: list[dict], *, tahun: int) -> bytes:
    document = {
        "periode": tahun,
        "keterangan": README_LINES,
        "data": [{**payload(r), "nip": r["nip"]} for r in records],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def simata_file(records: list[dict], *, fmt: str, tahun: int) -> bytes:
    """The file of one of `CONTENT_TYPES`' formats, as the page and `export_simata` give it."""
    if fmt == "csv":
        return simata_csv(records)
    if fmt == "json":
        return simata_json(records, tahun=tahun)
    return simata_xlsx(records)


# --- the push ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PushConfig:
    base_url: str
    token: str
    sso_token: str
    timeout: float = 10.0
    retries: int = 3
    backoff: float = 0.5


@dataclass
class PushReport:
    diterima: list[str] = field(default_factory=list)
    ditolak: list[tuple[str, str]] = field(default_factory=list)  # (nip, SIASN's message)
    gagal: list[tuple[str, str]] = field(default_factory=list)  # (nip, why it could not be sent)
    tanpa_pns_id: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not (self.ditolak or self.gagal or self.tanpa_pns_id)

    def as_dict(self) -> dict:
        return {
            "diterima": len(self.diterima),
            "ditolak": [{"nip": nip, "pesan": message} for nip, message in self.ditolak],
            "gagal": [{"nip": nip, "pesan": message} for nip, message in self.gagal],
            "tanpa_pns_id": self.tanpa_pns_id,
        }


def _session(config: PushConfig) -> requests.Session:
    retry = Retry(
        total=config.retries,
        connect=config.retries,
        read=config.retries,
        status=config.retries,
        backoff_factor=config.backoff,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=frozenset({"POST"}),  # the save is idempotent per pns_id and period
        raise_on_status=False,
    )
    session = requests.Session()
    session.mount("http://", HTTPAdapter(max_retries=retry))
    session.mount("https://", HTTPAdapter(max_retries=retry))
    session.headers.update(
        {"Authorization": f"Bearer {config.token}", "Auth": f"bearer {config.sso_token}", "Accept": "application/json"}
    )
    return session


def _refusal_message(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        body = None
    message = body.get("message") if isinstance(body, dict) else None
    return f"HTTP {response.status_code}: {message or response.reason}"[:500]


def push(records: list[dict], config: PushConfig, *, batch_size: int = 100, report_batch=None) -> PushReport:
    """Send every record with a PNS ID; `report_batch(number, total, report)` after each batch."""
    report = PushReport(tanpa_pns_id=[r["nip"] for r in records if not r["pns_id"]])
    sendable = [r for r in records if r["pns_id"]]
    url = config.base_url.rstrip("/") + SAVE_PATH
    batches = [sendable[start : start + batch_size] for start in range(0, len(sendable), batch_size)]
    with _session(config) as session:
        for number, batch in enumerate(batches, start=1):
            for record in batch:
                try:
                    response = session.post(url, json=payload(record), timeout=config.timeout)
                except requests.RequestException as exc:
                    # The exception names the URL, never the headers that carry the tokens.
                    report.gagal.append((record["nip"], f"{type(exc).__name__}: tidak terjawab setelah diulang"))
                    continue
                if response.ok:
                    report.diterima.append(record["nip"])
                elif response.status_code in (429,) or response.status_code >= 500:
                    report.gagal.append((record["nip"], _refusal_message(response)))
                else:
                    report.ditolak.append((record["nip"], _refusal_message(response)))
            if report_batch is not None:
                report_batch(number, len(batches), report)
    return report
