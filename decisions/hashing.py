"""The canonical form of an entry and its hash: the one definition that appending and verifying share."""

import datetime as dt
import hashlib
import json

# The hash of the first entry's predecessor.
GENESIS = "0" * 64


def canonical(*, kunci, urutan, jenis, objek, nilai_lama, nilai_baru, oleh, waktu, justifikasi, hash_sebelumnya):
    """Sorted keys, no spaces, UTF-8: the same entry always gives the same bytes."""
    document = {
        "hash_sebelumnya": hash_sebelumnya,
        "jenis": jenis,
        "justifikasi": justifikasi,
        "nilai_baru": nilai_baru,
        "nilai_lama": nilai_lama,
        "objek": objek,
        "oleh": oleh,
        "rantai": kunci,
        "urutan": urutan,
        "waktu": waktu,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_hash(**fields) -> str:
    return hashlib.sha256(canonical(**fields)).hexdigest()


def hash_of(entry, *, kunci: str) -> str:
    """The hash an entry (an `EntriKeputusan`) must carry, from its stored content."""
    return entry_hash(
        kunci=kunci,
        urutan=entry.urutan,
        jenis=entry.jenis,
        objek=entry.objek,
        nilai_lama=entry.nilai_lama,
        nilai_baru=entry.nilai_baru,
        oleh=entry.oleh_nama,
        waktu=entry.waktu.astimezone(dt.UTC).isoformat(),
        justifikasi=entry.justifikasi,
        hash_sebelumnya=entry.hash_sebelumnya,
    )
