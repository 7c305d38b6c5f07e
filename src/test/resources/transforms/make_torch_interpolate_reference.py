# Regenerates torch_interpolate_reference.txt: PyTorch's output for the temporal resize used by
# MAMP (valid_crop_resize) and PCM3 (temporal_cropresize). Run with a PyTorch that has
# F.interpolate; the committed file was made with Debian's python3-torch 1.13.1+dfsg-4 (CPU).
#   python3 make_torch_interpolate_reference.py > torch_interpolate_reference.txt
# Line format: <layout> <L> <W> <row> then W float32 bit patterns in hex.
#   layout mamp: input (1, 1, rows, L) resized to (rows, W)   (MAMP: (1,1,C*V*M,len) -> (C*V*M, 120))
#   layout pcm3: input (1, rows, L, 1) resized to (W, 1)      (PCM3: (1,C*V*M,len,1) -> (64, 1))
# Input row r, frame t: float32(((t*7919 + r*104729) % 1009 / 1009.0 - 0.5) * (1 if r == 0 else 1000)).
import numpy as np
import torch
import torch.nn.functional as F

ROWS = 2


def source(length):
    x = np.zeros((ROWS, length), dtype=np.float32)
    for r in range(ROWS):
        for t in range(length):
            x[r, t] = np.float32(((t * 7919 + r * 104729) % 1009 / 1009.0 - 0.5) * (1 if r == 0 else 1000))
    return x


def emit(layout, length, width):
    x = torch.tensor(source(length))
    if layout == "mamp":
        y = F.interpolate(x[None, None], size=(ROWS, width), mode="bilinear", align_corners=False)[0, 0]
    else:
        y = F.interpolate(x[None, :, :, None], size=(width, 1), mode="bilinear", align_corners=False)[0, :, :, 0]
    y = y.numpy().astype(np.float32)
    for r in range(ROWS):
        bits = " ".join("%08x" % v for v in y[r].view(np.uint32))
        print(layout, length, width, r, bits)


print("# torch", torch.__version__)
for width in (120, 64):
    for length in (1, 2, 3, 7, 10, 63, 64, 65, 100, 119, 121, 150, 233, 300):
        emit("mamp", length, width)
for length in (10, 65, 100, 300):
    emit("pcm3", length, 64)
