"""Reading the decision log: chain heads for pages and documents, and the verification of a chain."""

from .hashing import GENESIS, hash_of
from .models import PROVINCE_CHAIN, EntriKeputusan, RantaiKeputusan


def chain_head(*, instansi) -> dict:
    """Length and head hash of an instansi's chain (`None`: the province-wide chain); empty if none yet."""
    kunci = instansi.kode if instansi is not None else PROVINCE_CHAIN
    chain = RantaiKeputusan.objects.filter(kunci=kunci).first()
    if chain is None:
        return {"kunci": kunci, "panjang": 0, "hash_kepala": GENESIS, "rusak": ""}
    return {"kunci": kunci, "panjang": chain.panjang, "hash_kepala": chain.hash_kepala, "rusak": chain.rusak}


def chain_verify(chain: RantaiKeputusan) -> dict:
    """Walk the chain from its first entry; report the first broken link with its position.

    Checks, in order at each position: the entry is the one expected there (none missing), it
    points to the previous entry's hash, and its content still gives its own hash. At the end the
    chain's stored head must be the last entry (an entry appended behind the code's back, or a tail
    removed, shows there).
    """
    previous_hash, position = GENESIS, 0
    entries = EntriKeputusan.objects.filter(rantai=chain).order_by("urutan").iterator(chunk_size=2000)
    for entry in entries:
        position += 1
        if entry.urutan != position:
            return _broken(chain, position, f"entri ke-{position} hilang (dihapus atau urutan diubah)")
        if entry.hash_sebelumnya != previous_hash:
            return _broken(chain, position, f"entri ke-{position} tidak menunjuk entri sebelumnya (rantai diputus)")
        if hash_of(entry, kunci=chain.kunci) != entry.hash:
            return _broken(chain, position, f"entri ke-{position} diubah setelah dicatat")
        previous_hash = entry.hash
    if position != chain.panjang or previous_hash != (chain.hash_kepala or GENESIS):
        if position > chain.panjang:
            return _broken(chain, chain.panjang + 1, f"entri ke-{chain.panjang + 1} disisipkan di luar aplikasi")
        if position + 1 == chain.panjang:
            return _broken(chain, position + 1, f"entri ke-{position + 1} (terakhir) dihapus")
        return _broken(chain, position + 1, f"entri ke-{position + 1} sampai ke-{chain.panjang} dihapus")
    return {"kunci": chain.kunci, "utuh": True, "posisi": None, "pesan": "", "panjang": position}


def _broken(chain, position: int, message: str) -> dict:
    return {
        "kunci": chain.kunci,
        "utuh": False,
        "posisi": position,
        "pesan": f"Rantai {chain.kunci}: {message}.",
        "panjang": chain.panjang,
    }


def chains_list():
    return RantaiKeputusan.objects.select_related("instansi").order_by("kunci")


def broken_chains() -> list[str]:
    """The findings of the chains whose last verification failed (the dashboard's red warning)."""
    return list(RantaiKeputusan.objects.exclude(rusak="").order_by("kunci").values_list("rusak", flat=True))
