#!/usr/bin/env python3
"""Time one pretraining step of the OFFICIAL MAMP or PCM3 code (or a float32 sgemm) on the CPU.

Companion of scripts/bench-official.sh, which alternates these runs with our own `bench train`.
This file is ours; it holds no code of the official repositories. It imports their model classes
at run time from checkouts whose paths the user gives (--repo), and patches around their
CUDA-only bits in memory (never by editing their files):

  mamp   model_mamp.transformer.Transformer with the official NTU-60 xsub config
         (config/ntu60_xsub_joint/pretrain_mamp_t120_layer8+3_mask90.yaml: encoder 8 blocks of
         dim 256, decoder 3 blocks, 120 frames, 25 joints, 2 persons, mask ratio 0.9,
         motion-aware tau 0.8), random input (N, 3, 120, 25, 2); step = forward + backward +
         gradient norm + AdamW (betas 0.9/0.95, weight decay 0.05 except biases and 1-D
         parameters), through the official util.misc.NativeScalerWithGradNormCount.
         --bf16 wraps the forward in torch.autocast("cpu", torch.bfloat16).
  pcm3   moco.builder_mask_recons.MoCo with the arguments of the official
         script_pretrain_moco.sh (joint stream, PCM3_wprompt: --mlp, queue 16384, topk 16384,
         contrast T 0.07, teacher T 0.05, student T 0.1, BiGRU 150 -> 3 x 1024 -> 128),
         three random views (N, 3, 64, 25, 2), the official utils.Jointmask3 mask (ratio 0.6),
         MoCo.forward_pcm3_wprompt, the training loss of the official pretrain_moco_mask.py
         (re-stated below in our own words), backward, SGD (lr 0.02, momentum 0.9, wd 1e-4).
  mamp-embed
         the official frozen encoder as the linear probe runs it: model.transformer.Transformer
         with config/ntu60_xsub_joint/linprobe_t120_layer8.yaml (8 blocks of dim 256 over all
         120/4 x 25 tokens per person, final norm, pooled linear head), eval mode, torch.no_grad(),
         random input (N, 3, 120, 25, 2); a "step" is one batch; --bf16 adds torch.autocast.
  sgemm  best float32 2048 x 2048 matmul.
  report reads the JSON files that scripts/bench-official.sh collected in --dir and prints the
         side-by-side table (also written as --dir/summary.json and --dir/summary.md).

Prints one JSON object (also written to -o): step times in seconds, torch version, threads,
the BLAS library torch actually loaded.
"""
import argparse
import json
import os
import statistics
import sys
import time
import types


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("which", choices=["mamp", "mamp-embed", "pcm3", "sgemm", "report"])
    p.add_argument("--dir", help="report only: the folder of round files written by bench-official.sh")
    p.add_argument("--repo", help="checkout of the official repository (mamp: maoyunyao/MAMP, pcm3: JHang2020/PCM3)")
    p.add_argument("--batch", type=int, default=None, help="batch size (default 8 for mamp, 32 for mamp-embed, 16 for pcm3)")
    p.add_argument("--warmup", type=int, default=2, help="unmeasured steps first")
    p.add_argument("--steps", type=int, default=5, help="measured steps")
    p.add_argument("--bf16", action="store_true", help="mamp and mamp-embed: torch.autocast('cpu', dtype=torch.bfloat16)")
    p.add_argument("--threads", type=int, default=os.cpu_count(), help="torch.set_num_threads (default: all cores)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("-o", "--out", help="write the JSON result here too")
    return p.parse_args()


def loaded_blas():
    """Real paths of the BLAS/LAPACK libraries mapped into this process (Debian's python3-torch
    links the generic libblas.so.3, whose alternative may be the slow reference BLAS)."""
    libs = set()
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                path = line.split()[-1] if len(line.split()) >= 6 else ""
                name = os.path.basename(path)
                if any(k in name for k in ("blas", "lapack", "mkl", "blis")):
                    libs.add(os.path.realpath(path))
    except OSError:
        pass
    return sorted(libs)


def patch_cuda_away(torch):
    """The official code calls .cuda() on freshly made CPU tensors (PCM3: the swap mask, the top-k
    index, the labels; the training script: model, inputs, criterion) and MAMP's engine uses
    torch.cuda.amp / torch.cuda.synchronize. There is no GPU here, so .cuda() becomes the identity
    (the tensor stays on the CPU). This changes where tensors live, not what is computed."""
    torch.Tensor.cuda = lambda self, *a, **k: self
    torch.nn.Module.cuda = lambda self, *a, **k: self


def stub_missing_modules():
    """Imports the official model files make but never use for the model/step we time:
    - PCM3 moco/GRU.py does `import torchvision` (nothing of it is used); Debian's python3-torch
      does not pull in python3-torchvision, so an empty stand-in module is registered if absent.
    - MAMP util/misc.py does `from torch._six import inf`; torch._six exists in 1.13 but was
      removed in torch 2.x, so a stand-in holding inf is registered if absent."""
    try:
        import torchvision  # noqa: F401
    except ImportError:
        sys.modules["torchvision"] = types.ModuleType("torchvision")
    try:
        import torch._six  # noqa: F401
    except ImportError:
        six = types.ModuleType("torch._six")
        six.inf = float("inf")
        sys.modules["torch._six"] = six


def read_mamp_config(repo):
    """Model and training values of the official NTU-60 xsub MAMP config; falls back to the same
    numbers (as documented in the README of MAMP) when PyYAML is missing."""
    path = os.path.join(repo, "config", "ntu60_xsub_joint", "pretrain_mamp_t120_layer8+3_mask90.yaml")
    cfg = None
    try:
        import yaml
        with open(path) as f:
            cfg = yaml.load(f, yaml.FullLoader)
    except ImportError:
        pass
    if cfg is None:
        cfg = {"model_args": dict(dim_in=3, dim_feat=256, decoder_dim_feat=256, depth=8, decoder_depth=3,
                                  num_heads=8, mlp_ratio=4, num_frames=120, num_joints=25, patch_size=1,
                                  t_patch_size=4, qkv_bias=True, qk_scale=None, drop_rate=0.,
                                  attn_drop_rate=0., drop_path_rate=0., norm_skes_loss=True),
               "lr": 1e-3, "weight_decay": 0.05, "mask_ratio": 0.9, "motion_aware_tau": 0.8}
    return path, cfg


def no_decay_groups(model, weight_decay):
    """The usual "no weight decay for biases and 1-D parameters (norms, embeddings of shape (D,))"
    split that the official MAMP training gets from timm 0.3.2; written here so that timm is not
    needed (its version is pinned by main_pretrain.py)."""
    decay, no_decay = [], []
    for name, param in model.named_parameters():
        if not param.requires_grad:
            continue
        (no_decay if param.ndim == 1 or name.endswith(".bias") else decay).append(param)
    return [{"params": no_decay, "weight_decay": 0.0}, {"params": decay, "weight_decay": weight_decay}]


def build_mamp(torch, args):
    sys.path.insert(0, args.repo)
    from model_mamp.transformer import Transformer
    cfg_path, cfg = read_mamp_config(args.repo)
    model = Transformer(**cfg["model_args"])
    model.train(True)
    optimizer = torch.optim.AdamW(no_decay_groups(model, float(cfg["weight_decay"])),
                                  lr=float(cfg["lr"]), betas=(0.9, 0.95))
    try:
        # the official step goes through this (GradScaler + grad norm + step); on a machine without
        # CUDA, torch.cuda.amp.GradScaler() disables itself, so scale/unscale/update are no-ops
        from util.misc import NativeScalerWithGradNormCount
        scaler = NativeScalerWithGradNormCount()
        scaler_name = "official util.misc.NativeScalerWithGradNormCount"
    except Exception as e:  # pragma: no cover - only if util.misc cannot be imported
        scaler = None
        scaler_name = "fallback backward + AdamW (util.misc import failed: %r)" % (e,)
    x = torch.randn(args.batch, 3, 120, 25, 2)
    mask_ratio, tau = float(cfg["mask_ratio"]), float(cfg["motion_aware_tau"])

    def step():
        # The official engine uses torch.cuda.amp.autocast(enabled=args.enable_amp); on the CPU
        # the equivalent is torch.autocast("cpu", dtype=torch.bfloat16).
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16):
            loss, _, _ = model(x, mask_ratio=mask_ratio, motion_stride=1, motion_aware_tau=tau)
        loss_value = loss.item()
        if scaler is not None:
            scaler(loss, optimizer, parameters=model.parameters(), update_grad=True)
        else:
            loss.backward()
            optimizer.step()
        optimizer.zero_grad()
        return loss_value

    info = {"config": os.path.relpath(cfg_path, args.repo), "loss_scaler": scaler_name,
            "mask_ratio": mask_ratio, "motion_aware_tau": tau, "input_shape": list(x.shape),
            "optimizer": "AdamW lr %g betas (0.9, 0.95) wd %g" % (float(cfg["lr"]), float(cfg["weight_decay"])),
            "parameters": sum(p.numel() for p in model.parameters())}
    return step, info


def build_mamp_embed(torch, args):
    sys.path.insert(0, args.repo)
    from model.transformer import Transformer
    path = os.path.join(args.repo, "config", "ntu60_xsub_joint", "linprobe_t120_layer8.yaml")
    try:
        import yaml
        with open(path) as f:
            model_args = dict(yaml.load(f, yaml.FullLoader)["model_args"])
    except ImportError:  # the same values as that file
        model_args = dict(dim_in=3, num_classes=60, dim_feat=256, depth=8, num_heads=8, mlp_ratio=4,
                          num_frames=120, num_joints=25, patch_size=1, t_patch_size=4, qkv_bias=True,
                          qk_scale=None, drop_rate=0., attn_drop_rate=0., drop_path_rate=0., protocol="linprobe")
    if model_args.get("qk_scale") == "None":
        model_args["qk_scale"] = None
    model = Transformer(**model_args)
    model.eval()
    x = torch.randn(args.batch, 3, 120, 25, 2)

    def step():
        with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16):
            return float(model(x).float().sum())

    info = {"config": os.path.relpath(path, args.repo), "input_shape": list(x.shape), "forward": "eval, no_grad",
            "parameters": sum(p.numel() for p in model.parameters())}
    return step, info


def build_pcm3(torch, args):
    sys.path.insert(0, args.repo)
    import moco.builder_mask_recons as builder
    from options.options_pretraining import bi_gru_model_arguments
    from utils import Jointmask3
    nn = torch.nn
    # arguments of the official script_pretrain_moco.sh (joint stream) and the pretrain_moco_mask.py
    # defaults: contrast dim 128, queue K 16384, momentum 0.999, T 0.07, teacher T 0.05,
    # student T 0.1, cmd weight 1.0, topk 16384, --mlp
    queue = 16384
    model = builder.MoCo("graph-based", bi_gru_model_arguments, 128, queue, 0.999, 0.07,
                         0.05, 0.1, 1.0, queue, True)
    model.train()
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), 0.02, momentum=0.9, weight_decay=1e-4)
    mask_gen = Jointmask3(mask_ratio=0.6, person_num=2, joint_num=25, channel_num=3)
    frames = 64  # options_pretraining.input_frame
    views = [torch.randn(args.batch, 3, frames, 25, 2) for _ in range(3)]

    def step():
        m = mask_gen(views[0])  # (N, T, M, V, C), 1 = visible
        out1, out2, out3, out4, target, recons, loss_sim = model.forward_pcm3_wprompt(
            views[0], views[1], views[2], local_rank=-1, mask=m)
        # Training loss of the official PCM3_wprompt run, re-stated: InfoNCE on the base view, on
        # the mixed view, on the reconstructed and on the masked view, plus the distillation term
        # the model returns, plus 40 x the squared reconstruction error averaged over the masked
        # entries of the third view.
        hidden = (1.0 - m).permute(0, 4, 1, 3, 2)  # (N, C, T, V, M)
        loss_rec = (((recons - views[2]) * hidden) ** 2).sum() / hidden.sum()
        loss = (criterion(out1, target) + criterion(out2, target) + loss_sim + 40 * loss_rec
                + criterion(out3, target) + criterion(out4, target))
        loss_value = loss.item()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss_value

    info = {"forward": "MoCo.forward_pcm3_wprompt", "queue": queue, "topk": queue, "frames": frames,
            "bi_gru": dict(bi_gru_model_arguments), "input_shape": list(views[0].shape),
            "optimizer": "SGD lr 0.02 momentum 0.9 wd 1e-4",
            "parameters": sum(p.numel() for p in model.parameters() if p.requires_grad)}
    return step, info


def run_sgemm(torch, args):
    n = 2048
    a, b = torch.randn(n, n), torch.randn(n, n)
    for _ in range(2):
        a @ b
    times = []
    for _ in range(max(12, args.steps)):
        t = time.perf_counter()
        a @ b
        times.append(time.perf_counter() - t)
    best = min(times)
    return {"n": n, "best_s": best, "gflops": 2.0 * n ** 3 / best / 1e9,
            "median_gflops": 2.0 * n ** 3 / statistics.median(times) / 1e9}


def report(folder):
    """Side-by-side table from the files of bench-official.sh: ours-<preset>-r<k>.json (our
    `bench train -o`), official-<row>-r<k>.json (this helper), meta.json (machine, load)."""
    import glob
    with open(os.path.join(folder, "meta.json")) as f:
        meta = json.load(f)

    def load(pattern):
        out = []
        for path in sorted(glob.glob(os.path.join(folder, pattern))):
            with open(path) as f:
                out.append(json.load(f))
        return out

    def ours(preset):
        runs = [r for doc in load("ours-%s-r*.json" % preset) for r in doc["runs"]]
        return {"means": [r["seconds_per_step"] for r in runs], "mins": [r["min_seconds_per_step"] for r in runs]}

    def official(row):
        docs = load("official-%s-r*.json" % row)
        return {"means": [d["mean_s"] for d in docs], "mins": [d["min_s"] for d in docs]}, docs

    rows = []

    def time_row(name, o, f):
        if not o["means"] or not f["means"]:
            return
        row = {"row": name, "unit": "s/step",
               "ours_min": min(o["mins"]), "ours_median": statistics.median(o["means"]),
               "official_min": min(f["mins"]), "official_median": statistics.median(f["means"]),
               "ours_rounds": o["means"], "official_rounds": f["means"]}
        row["ratio_min"] = row["ours_min"] / row["official_min"]
        row["ratio_median"] = row["ours_median"] / row["official_median"]
        rows.append(row)

    b = meta.get("mamp_batch", 8)
    mamp_ours = ours("mamp-ntu60-xsub")
    f32, mamp_docs = official("mamp-fp32")
    time_row("MAMP step fp32, batch %d" % b, mamp_ours, f32)
    bf, _ = official("mamp-bf16")
    time_row("MAMP step bf16 (ours --precision bf16, official torch.autocast), batch %d" % b, ours("mamp-bf16"), bf)
    p3, pcm3_docs = official("pcm3")
    time_row("PCM3 full step fp32, batch %d, queue 16384" % meta.get("pcm3_batch", 16), ours("pcm3-ntu60-xsub"), p3)
    for prec in ("fp32", "bf16"):
        o = [d["clips_per_s"] for d in load("ours-embed-%s-r*.json" % prec)]
        f = [d["clips_per_s"] for d in load("official-embed-%s-r*.json" % prec)]
        if o and f:
            rows.append({"row": "MAMP encoder forward (embed) %s%s, batch %d" % (
                            prec, " (official torch.autocast)" if prec == "bf16" else "", meta.get("embed_batch", 16)),
                         "unit": "clips/s", "ours_min": max(o), "ours_median": statistics.median(o),
                         "official_min": max(f), "official_median": statistics.median(f),
                         "ours_rounds": o, "official_rounds": f,
                         "ratio_min": max(o) / max(f), "ratio_median": statistics.median(o) / statistics.median(f)})
    ours_mm = [doc["matmul_gflops"] for doc in load("ours-mamp-*-r*.json") + load("ours-pcm3-*-r*.json")]
    off_mm = [d["gflops"] for d in load("official-sgemm-r*.json")]
    if ours_mm and off_mm:
        rows.append({"row": "sgemm 2048x2048 fp32", "unit": "GFLOP/s",
                     "ours_min": max(ours_mm), "ours_median": statistics.median(ours_mm),
                     "official_min": max(off_mm), "official_median": statistics.median(off_mm),
                     "ours_rounds": ours_mm, "official_rounds": off_mm,
                     "ratio_min": max(ours_mm) / max(off_mm),
                     "ratio_median": statistics.median(ours_mm) / statistics.median(off_mm)})
    any_doc = (mamp_docs or pcm3_docs or load("official-sgemm-r*.json") or [{}])[0]
    lines = []
    lines.append("CPU: %s, %s cores; rounds: %s (ours, official alternating); GLIBC_TUNABLES=%s"
                 % (meta["cpu"], meta["cores"], meta["rounds"], meta.get("glibc_tunables", "")))
    lines.append("ours: skeleton-ssl bench train (DJL, bundled libtorch %s); official: python3 torch %s, %s threads, BLAS %s"
                 % (meta.get("ours_torch", "?"), any_doc.get("torch_version", "?"), any_doc.get("threads", "?"),
                    ", ".join(os.path.basename(x) for x in any_doc.get("blas", [])) or "?"))
    lines.append("official code: MAMP %s, PCM3 %s" % (meta.get("mamp_commit", "-"), meta.get("pcm3_commit", "-")))
    lines.append("load average: %s before, %s after" % (meta.get("load_before", "?"), meta.get("load_after", "?")))
    lines.append("min = fastest single measured step (sgemm, clips/s: the best rate); median = median over rounds of each round's mean")
    lines.append("")
    lines.append("| row | unit | ours min | ours median | official min | official median | ours/official (min) | ours/official (median) |")
    lines.append("|---|---|---|---|---|---|---|---|")
    for r in rows:
        lines.append("| %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |" % (
            r["row"], r["unit"], r["ours_min"], r["ours_median"], r["official_min"], r["official_median"],
            r["ratio_min"], r["ratio_median"]))
    lines.append("")
    lines.append("s/step: ratio < 1 means ours is faster; GFLOP/s and clips/s: ratio > 1 means ours is faster.")
    text = "\n".join(lines)
    print(text)
    with open(os.path.join(folder, "summary.md"), "w") as f:
        f.write(text + "\n")
    with open(os.path.join(folder, "summary.json"), "w") as f:
        json.dump({"meta": meta, "official_torch": any_doc.get("torch_version"), "official_blas": any_doc.get("blas"),
                   "rows": rows}, f, indent=1)
        f.write("\n")


def main():
    args = parse_args()
    if args.which == "report":
        return report(args.dir)
    import torch
    torch.manual_seed(args.seed)
    import random
    random.seed(args.seed)
    torch.set_num_threads(args.threads)
    stub_missing_modules()
    patch_cuda_away(torch)
    result = {"which": args.which, "torch_version": torch.__version__, "threads": torch.get_num_threads(),
              "glibc_tunables": os.environ.get("GLIBC_TUNABLES", ""), "repo": args.repo}
    if args.which == "sgemm":
        result.update(run_sgemm(torch, args))
    else:
        if not args.repo:
            sys.exit("--repo is required for " + args.which)
        if args.batch is None:
            args.batch = {"mamp": 8, "mamp-embed": 32}.get(args.which, 16)
        if args.bf16 and args.which == "pcm3":
            sys.exit("--bf16 is for mamp and mamp-embed only")
        # the official files print while building (model summaries); keep our stdout pure JSON
        real_stdout = sys.stdout
        sys.stdout = sys.stderr
        try:
            build = {"mamp": build_mamp, "mamp-embed": build_mamp_embed, "pcm3": build_pcm3}[args.which]
            step, info = build(torch, args)
            losses, times = [], []
            for i in range(args.warmup + args.steps):
                t = time.perf_counter()
                losses.append(step())
                dt = time.perf_counter() - t
                if i >= args.warmup:
                    times.append(dt)
                print("  official %s step %d/%d: %.3f s%s" % (args.which, i + 1, args.warmup + args.steps, dt,
                                                            " (warmup)" if i < args.warmup else ""), file=sys.stderr)
        finally:
            sys.stdout = real_stdout
        result.update(info)
        if args.which == "mamp-embed":
            result["clips_per_s"] = args.batch / statistics.mean(times)
        result.update({"batch": args.batch, "bf16": args.bf16, "warmup": args.warmup, "steps": args.steps,
                       "step_s": times, "mean_s": statistics.mean(times), "min_s": min(times),
                       "median_s": statistics.median(times), "losses": losses})
    result["blas"] = loaded_blas()
    text = json.dumps(result, indent=1)
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
