"""Makes the TorchScript modules under src/main/resources/io/skeletonssl/engine/ through which the
PyTorch engine reaches torch operations that DJL 0.34 does not expose:

- sdpa.pt:        forward(q, k, v) -> softmax(q k^T / sqrt(d)) v, torch's fused attention;
- linear_bf16.pt: forward(x, w, b) -> x w^T + b with the product in bfloat16, returned as float32;
- mlp_bf16.pt:    forward(x, w1, b1, w2, b2) -> fc2(gelu(fc1(x))) with both products and the exact GELU
                  in bfloat16 (as torch.autocast runs them), returned as float32: the hidden
                  activation, four times the width, never makes a float32 round trip;
- gru_bf16.pt:    forward(x, h0, w_ih, w_hh, b_ih, b_hh) -> (output, h_n): one unidirectional,
                  batch-first GRU layer with its products and gates in bfloat16, both results
                  float32 (models/pcm3/GruStack composes layers and directions from it);
- optim.pt:       whole-model optimizer updates in one call each: torch's fused CPU AdamW and SGD
                  kernels (one pass over each parameter, no temporaries), a finiteness check of all
                  gradients with one result, and zeroing them (engine/FusedOptim).

The bf16 module is the CPU autocast of engine/Autocast: DJL's JNI has no bfloat16 data type (a
cast to it aborts the process), so bf16 lives only inside these modules and every array DJL sees
stays float32. The casts are part of the autograd graph, so the backward products run in bf16 too
and the gradients of the float32 weights arrive in float32 (float32 master weights).

TorchScript archives store their code as source text that the loading PyTorch compiles, so the
archives work with the PyTorch 2.7 that DJL bundles. Debian's python3-torch is 1.13, which predates
scaled_dot_product_attention, so this script scripts a placeholder with the same signature and then
writes the real call into the stored source. (Attention stays float32 under bf16 autocast: see
engine/ScaledDotProduct.)

Run: python3 src/main/python/make_engine_modules.py (needs torch >= 1.10 to write the archives).
"""
import io
import pathlib
import zipfile

from typing import List, Tuple

import torch

OUT = pathlib.Path(__file__).resolve().parents[1] / "resources" / "io" / "skeletonssl" / "engine"


class ScaledDotProduct(torch.nn.Module):
    def forward(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        return torch.matmul(q, k)  # replaced in the stored source


class LinearBf16(torch.nn.Module):
    def forward(self, x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        bf = torch.bfloat16
        # contiguous: a permuted input keeps its strides through to(), and a linear of a
        # non-contiguous 3-D input falls back to a batched product that copies the weight per row
        return torch.nn.functional.linear(x.to(bf).contiguous(), w.to(bf), b.to(bf)).to(torch.float32)


class MlpBf16(torch.nn.Module):
    def forward(self, x: torch.Tensor, w1: torch.Tensor, b1: torch.Tensor, w2: torch.Tensor,
                b2: torch.Tensor) -> torch.Tensor:
        bf = torch.bfloat16
        h = torch.nn.functional.gelu(torch.nn.functional.linear(x.to(bf).contiguous(), w1.to(bf), b1.to(bf)))
        return torch.nn.functional.linear(h, w2.to(bf), b2.to(bf)).to(torch.float32)


class GruBf16(torch.nn.Module):
    def forward(self, x: torch.Tensor, h0: torch.Tensor, w_ih: torch.Tensor, w_hh: torch.Tensor,
                b_ih: torch.Tensor, b_hh: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        bf = torch.bfloat16
        weights = [w_ih.to(bf), w_hh.to(bf), b_ih.to(bf), b_hh.to(bf)]
        # has_biases, 1 layer, dropout 0, train, not bidirectional, time-major
        # time-major and contiguous: torch's GRU projects the whole input with one linear, and on
        # a batch-first input it does so through a transposed view, which (outside grad mode, as
        # in PCM3's key encoder) runs as a batched product copying the weight once per frame
        xt = x.transpose(0, 1).to(bf).contiguous()
        out, h = torch.gru(xt, h0.to(bf).contiguous(), weights, True, 1, 0.0, True, False, False)
        return out.transpose(0, 1).to(torch.float32).contiguous(), h.to(torch.float32)


class Optim(torch.nn.Module):
    """The fused kernels postdate python3-torch 1.13: the two placeholders become them in the stored source."""

    @torch.jit.export
    def adamw(self, params: List[torch.Tensor], grads: List[torch.Tensor], exp_avgs: List[torch.Tensor],
              exp_avg_sqs: List[torch.Tensor], step: torch.Tensor, lr: float, beta1: float, beta2: float,
              weight_decay: float, eps: float) -> torch.Tensor:
        torch._foreach_add_(params, grads)  # placeholder: fused AdamW
        return step

    @torch.jit.export
    def sgd(self, params: List[torch.Tensor], grads: List[torch.Tensor], momentum_buffers: List[torch.Tensor],
            lr: float, momentum: float, weight_decay: float, first_step: bool) -> torch.Tensor:
        torch._foreach_sub_(params, grads)  # placeholder: fused SGD
        return torch.tensor(first_step)

    @torch.jit.export
    def all_finite(self, grads: List[torch.Tensor]) -> torch.Tensor:
        # a sum is non-finite when an element is NaN or infinite (or, harmlessly, when it overflows)
        return torch.stack([g.sum() for g in grads]).sum().isfinite()

    @torch.jit.export
    def zero(self, grads: List[torch.Tensor]) -> torch.Tensor:
        torch._foreach_zero_(grads)
        return torch.zeros([0])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x


# torch's own AdamW (fused=True) passes one step tensor per parameter; all share our step count
FUSED_ADAMW = ("torch._fused_adamw_(params, grads, exp_avgs, exp_avg_sqs, annotate(List[Tensor], []), "
               "torch.mul([step], torch.len(params)), lr=lr, beta1=beta1, beta2=beta2, weight_decay=weight_decay, "
               "eps=eps, amsgrad=False, maximize=False)")
FUSED_SGD = ("torch._fused_sgd_(params, grads, momentum_buffers, weight_decay=weight_decay, momentum=momentum, "
             "lr=lr, dampening=0., nesterov=False, maximize=False, is_first_step=first_step)")

# (file, archive folder, module, {placeholder in the stored source: real call})
MODULES = [
    ("sdpa.pt", "sdpa", ScaledDotProduct(), {"torch.matmul(q, k)": "torch.scaled_dot_product_attention(q, k, v)"}),
    ("linear_bf16.pt", "linear_bf16", LinearBf16(), {}),
    ("mlp_bf16.pt", "mlp_bf16", MlpBf16(), {}),
    ("gru_bf16.pt", "gru_bf16", GruBf16(), {}),
    ("optim.pt", "optim", Optim(), {"torch._foreach_add_(params, grads)": FUSED_ADAMW,
                                    "torch._foreach_sub_(params, grads)": FUSED_SGD}),
]


def write(file: str, folder: str, module: torch.nn.Module, replacements) -> None:
    buf = io.BytesIO()
    torch.jit.save(torch.jit.script(module), buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out_path = OUT / file
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out_path, "w", zipfile.ZIP_STORED) as out:
        for name in src.namelist():
            if name.endswith(".debug_pkl"):  # source ranges of the placeholder text: stale after the edit
                continue
            data = src.read(name)
            if name.endswith(".py") and replacements:
                text = data.decode()
                for placeholder, call in replacements.items():
                    assert placeholder in text, text
                    text = text.replace(placeholder, call)
                data = text.encode()
            info = zipfile.ZipInfo(folder + "/" + name.split("/", 1)[1], date_time=(1980, 1, 1, 0, 0, 0))
            out.writestr(info, data)
    print("wrote", out_path)


def main() -> None:
    for m in MODULES:
        write(*m)


if __name__ == "__main__":
    main()
