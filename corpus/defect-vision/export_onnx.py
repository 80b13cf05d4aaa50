"""Export best.pt to ONNX with two outputs: logits and the last conv feature map (for CAM).

    python export_onnx.py runs/effb0_384/best.pt models/defect_effb0_384.onnx
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch
import torch.nn as nn

from defect.model import build_model

OPSET = 17


class WithFeatures(nn.Module):
    """timm efficientnet: forward_features -> (B, 1280, H/32, W/32); head gives logits."""

    def __init__(self, model: nn.Module):
        super().__init__()
        self.model = model

    def forward(self, x):
        feats = self.model.forward_features(x)
        logits = self.model.forward_head(feats)
        return logits, feats


def export(ckpt_path: str, out_path: str) -> None:
    ckpt = torch.load(ckpt_path, map_location="cpu")
    model = build_model(ckpt["backbone"], len(ckpt["classes"]), pretrained=False)
    model.load_state_dict(ckpt["state_dict"])
    model.eval()
    wrapped = WithFeatures(model)
    size = ckpt["img_size"]
    dummy = torch.randn(1, 3, size, size)
    torch.onnx.export(
        wrapped, dummy, out_path, opset_version=OPSET,
        input_names=["image"], output_names=["logits", "features"],
        dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}, "features": {0: "batch"}},
    )
    m = onnx.load(out_path)
    onnx.checker.check_model(m)
    # the classifier weights are needed for CAM at serve time; stash them next to the model
    fc = model.get_classifier().weight.detach().numpy()
    np.save(Path(out_path).with_suffix(".fc.npy"), fc)
    meta = m.metadata_props.add()
    meta.key, meta.value = "classes", ",".join(ckpt["classes"])
    onnx.save(m, out_path)

    # parity check vs torch
    sess = ort.InferenceSession(out_path, providers=["CPUExecutionProvider"])
    ort_logits = sess.run(["logits"], {"image": dummy.numpy()})[0]
    with torch.no_grad():
        torch_logits = model(dummy).numpy()
    diff = float(np.abs(ort_logits - torch_logits).max())
    print(f"exported {out_path} ({Path(out_path).stat().st_size / 1e6:.1f} MB), max |diff| {diff:.2e}")
    # TODO: INT8 static quantization (onnxruntime.quantization) -- see notes/open_questions.md
    assert diff < 1e-3, "ONNX / torch mismatch"


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python export_onnx.py CKPT OUT.onnx")
    export(sys.argv[1], sys.argv[2])
