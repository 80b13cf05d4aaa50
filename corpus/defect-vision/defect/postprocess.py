"""Turns raw logits (+ optional CAM) into a PredictionResult."""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import cv2
import numpy as np

from .config import DefectConfig
from .schemas import BoundingBox, PredictionResult

HEATMAP_DIR = Path(os.environ.get("DEFECT_HEATMAP_DIR", "/tmp/defect-heatmaps"))


def softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max())
    return e / e.sum()


def decide(probs: np.ndarray, cfg: DefectConfig) -> tuple[str, float, bool]:
    """Reject rule: defect if P(ok) < reject_if_ok_below, then pick the best defect class
    that clears its own per-class threshold. Falls back to the argmax defect class."""
    p_ok = float(probs[0])
    if p_ok >= cfg.thresholds.reject_if_ok_below:
        return "ok", p_ok, False
    best, best_p = None, -1.0
    for i, name in enumerate(cfg.classes[1:], start=1):
        p = float(probs[i])
        if p >= cfg.thresholds.per_class.get(name, 0.5) and p > best_p:
            best, best_p = name, p
    if best is None:
        # rejected but no class above its threshold: report the argmax defect anyway
        i = int(np.argmax(probs[1:])) + 1
        best, best_p = cfg.classes[i], float(probs[i])
    return best, best_p, True


def boxes_from_cam(cam: np.ndarray, orig_hw: tuple[int, int], cfg: DefectConfig) -> list[BoundingBox]:
    h, w = orig_hw
    cam_up = cv2.resize(cam, (w, h), interpolation=cv2.INTER_LINEAR)
    mask = (cam_up >= cfg.heatmap.get("box_threshold", 0.55)).astype(np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask)
    boxes = []
    for i in range(1, n):
        x, y, bw, bh, area = stats[i]
        if area < cfg.heatmap.get("min_box_area_px", 120):
            continue
        score = float(cam_up[y : y + bh, x : x + bw].mean())
        boxes.append(BoundingBox(int(x), int(y), int(x + bw), int(y + bh), round(score, 3)))
    return boxes


def save_heatmap(image_rgb: np.ndarray, cam: np.ndarray) -> str:
    HEATMAP_DIR.mkdir(parents=True, exist_ok=True)
    h, w = image_rgb.shape[:2]
    cam_up = cv2.resize(cam, (w, h))
    color = cv2.applyColorMap((cam_up * 255).astype(np.uint8), cv2.COLORMAP_JET)
    overlay = cv2.addWeighted(cv2.cvtColor(image_rgb, cv2.COLOR_RGB2BGR), 0.6, color, 0.4, 0)
    # TODO: heatmaps pile up in /tmp forever; needs a retention job or move to the NAS
    path = HEATMAP_DIR / f"{uuid.uuid4().hex}.png"
    cv2.imwrite(str(path), overlay)
    return str(path)


def to_result(image_id: str, logits: np.ndarray, cfg: DefectConfig, model_version: str) -> PredictionResult:
    probs = softmax(logits)
    label, score, is_defect = decide(probs, cfg)
    return PredictionResult(
        image_id=image_id,
        label=label,
        score=round(score, 4),
        is_defect=is_defect,
        class_scores={c: round(float(p), 4) for c, p in zip(cfg.classes, probs)},
        model_version=model_version,
    )
