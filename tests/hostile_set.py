"""The hostile input set, generated into a folder: damaged PDFs, bombs, traversal ZIPs, junk, huge texts.

Used by tests/test_hostile.py (small set) and bench/ingest_hostile.py (large set). `build` returns
{relative path: category} for every input file it wrote.
"""
from __future__ import annotations

import random
import stat
import zipfile
import zlib
from pathlib import Path

CHUNK = 1 << 20


def pdf_bytes(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """A well-formed PDF (with xref) from numbered object bodies; object 1 must be the catalog."""
    out, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer_extra, xref)
    return bytes(out)


def _page_objects(content_stream: bytes, filters: bytes = b"") -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d %s>>\nstream\n" % (len(content_stream), filters) + content_stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


def encrypted_pdf() -> bytes:
    """A PDF with a Standard security handler whose user password is not empty (cannot be opened)."""
    enc = (b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <" + b"3a" * 32 + b"> /U <"
           + b"5c" * 32 + b"> >>")
    objects = _page_objects(b"BT /F1 12 Tf 72 720 Td (secret) Tj ET") + [enc]
    return pdf_bytes(objects, b"/Encrypt 6 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>] ")


def flate_bomb_pdf(unpacked: int) -> bytes:
    """One page whose FlateDecode content stream inflates to `unpacked` bytes of spaces."""
    z = zlib.compressobj(9)
    block = b" " * CHUNK
    packed = b"".join(z.compress(block) for _ in range(unpacked // CHUNK)) + z.flush()
    return pdf_bytes(_page_objects(packed, b"/Filter /FlateDecode "))


def zip_bomb(path: Path, unpacked: int) -> None:
    """A ZIP whose one member inflates to `unpacked` bytes of zeros (ratio about 1000:1)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z, z.open("zeros.txt", "w", force_zip64=True) as m:
        block = b"\0" * CHUNK
        for _ in range(unpacked // CHUNK):
            m.write(block)


def traversal_zip(path: Path, tag: str) -> list[str]:
    """Members named ../, absolute and as symlinks; returns the paths they would escape to if unpacked naively."""
    text = ("示例市人民政府关于印发政务公开工作要点的通知。" * 20).encode()
    link = zipfile.ZipInfo(f"link-{tag}")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    names = [f"../../escaped-{tag}.txt", f"/tmp/escaped-{tag}.txt", f"a/../../../escaped2-{tag}.txt",
             f"C:\\escaped-{tag}.txt"]
    with zipfile.ZipFile(path, "w") as z:
        for i, n in enumerate(names):
            z.writestr(n, text + str(i).encode())
        z.writestr(link, "/etc/passwd")
        z.writestr(f"dir/../link2-{tag}", "../../../../etc/shadow")
    return [f"escaped-{tag}.txt", f"escaped2-{tag}.txt", f"/tmp/escaped-{tag}.txt"]


def pdf_mutations(sources: list[Path], n: int, seed: int) -> list[tuple[str, bytes]]:
    """`n` damaged copies of real PDFs: truncated at random points, or with random bytes flipped."""
    rng = random.Random(seed)
    datas = [(p.stem, p.read_bytes()) for p in sources]
    out = []
    for i in range(n):
        stem, data = datas[i % len(datas)]
        if i % 2 == 0:
            cut = rng.randrange(1, len(data))
            out.append((f"trunc-{i:04d}-{cut}.pdf", data[:cut]))
        else:
            raw = bytearray(data)
            for _ in range(rng.choice((1, 3, 10, 50))):
                raw[rng.randrange(len(raw))] = rng.randrange(256)
            out.append((f"flip-{i:04d}.pdf", bytes(raw)))
    return out


def build(dest: Path, pdf_sources: list[Path], *, mutations: int = 200, seed: int = 4,
          bomb_bytes: int = 300 * CHUNK, long_line_bytes: int = 50 * CHUNK, tag: str = "x") -> dict[str, str]:
    """Write the hostile set under `dest`; {relative path: category}."""
    cats: dict[str, str] = {}

    def put(rel: str, data: bytes, cat: str) -> None:
        p = dest / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        cats[rel] = cat

    for name, data in pdf_mutations(pdf_sources, mutations, seed):
        put(f"mutated/{name}", data, "pdf mutation")
    put("encrypted.pdf", encrypted_pdf(), "encrypted pdf")
    put("flate-bomb.pdf", flate_bomb_pdf(bomb_bytes), "flate bomb pdf")
    (dest / "zips").mkdir(parents=True, exist_ok=True)
    zip_bomb(dest / "zips" / "bomb.zip", bomb_bytes)
    cats["zips/bomb.zip!/zeros.txt"] = "zip bomb"
    traversal_zip(dest / "zips" / "traversal.zip", tag)
    with zipfile.ZipFile(dest / "zips" / "traversal.zip") as z:
        for info in z.infolist():
            cats[f"zips/traversal.zip!/{info.filename}"] = "zip traversal/symlink"
    for ext in ("txt", "pdf", "html", "md", "bin"):
        put(f"empty/empty.{ext}", b"", "0-byte file")
    rng = random.Random(seed)
    for i in range(3):
        put(f"junk/junk{i}.txt", rng.randbytes(20_000 * (i + 1)), "binary junk .txt")
    line = "示例市人民政府关于进一步做好政务公开工作的通知各区县人民政府市政府各部门".encode()
    put("huge/one-line-50MB.txt", (line * (long_line_bytes // len(line) + 1))[:long_line_bytes],
        "50 MB single line")
    put("huge/zhongguo-1MB.txt", "中国".encode() * (CHUNK // 6), "1 MB of 中国")
    return cats
