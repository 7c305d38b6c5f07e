"""Makes src/main/resources/io/skeletonssl/engine/sdpa.pt, the TorchScript module through which the
PyTorch engine reaches torch's fused scaled_dot_product_attention (DJL 0.34 exposes no such op).

The module is forward(q, k, v) -> softmax(q k^T / sqrt(d)) v. TorchScript archives store their code
as source text that the loading PyTorch compiles, so the archive works with the PyTorch 2.7 that
DJL bundles. Debian's python3-torch is 1.13, which predates the op, so this script scripts a
placeholder with the same signature and then writes the real call into the stored source.

Run: python3 src/main/python/make_sdpa_module.py (needs torch >= 1.10 to write the archive).
"""
import io
import pathlib
import zipfile

import torch

OUT = pathlib.Path(__file__).resolve().parents[1] / "resources" / "io" / "skeletonssl" / "engine" / "sdpa.pt"
PLACEHOLDER = "torch.matmul(q, k)"
CALL = "torch.scaled_dot_product_attention(q, k, v)"


class ScaledDotProduct(torch.nn.Module):
    def forward(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        return torch.matmul(q, k)  # replaced by CALL in the stored source


def main() -> None:
    buf = io.BytesIO()
    torch.jit.save(torch.jit.script(ScaledDotProduct()), buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(OUT, "w", zipfile.ZIP_STORED) as out:
        for name in src.namelist():
            if name.endswith(".debug_pkl"):  # source ranges of the placeholder text: stale after the edit
                continue
            data = src.read(name)
            if name.endswith(".py"):
                text = data.decode()
                assert PLACEHOLDER in text, text
                data = text.replace(PLACEHOLDER, CALL).encode()
            info = zipfile.ZipInfo("sdpa/" + name.split("/", 1)[1], date_time=(1980, 1, 1, 0, 0, 0))
            out.writestr(info, data)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
