"""onnxruntime session wrapper: preprocessing, CAM, post-processing."""
from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import cv2
import numpy as np
import onnxruntime as ort

from defect.config import DefectConfig
from defect.postprocess import boxes_from_cam, save_heatmap, to_result
from defect.schemas import PredictionResult


class DefectModel:
    def __init__(self, model_path: str, cfg: DefectConfig):
        self.cfg = cfg
        self.model_path = model_path
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = int(os.environ.get("ORT_NUM_THREADS", "4"))
        # CPU only: the line PC (i5-8500, no GPU) is the target
        self.session = ort.InferenceSession(model_path, sess_options=opts, providers=["CPUExecutionProvider"])
        self.fc = np.load(Path(model_path).with_suffix(".fc.npy"))
        self.version = hashlib.sha1(Path(model_path).read_bytes()).hexdigest()[:10]
        meta = self.session.get_modelmeta().custom_metadata_map
        if meta.get("classes") and meta["classes"].split(",") != cfg.classes:
            raise RuntimeError(f"model classes {meta['classes']} != config classes {cfg.classes}")

    def preprocess(self, rgb: np.ndarray) -> np.ndarray:
        size = self.cfg.img_size
        h, w = rgb.shape[:2]
        scale = size / max(h, w)
        resized = cv2.resize(rgb, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
        canvas = np.zeros((size, size, 3), dtype=np.uint8)
        # NOTE: albumentations PadIfNeeded centres the image; we pad top-left. Tiny mismatch,
        # boxes are therefore off by a few px on non-square uploads. FIXME
        canvas[: resized.shape[0], : resized.shape[1]] = resized
        x = canvas.astype(np.float32) / 255.0
        x = (x - np.array(self.cfg.mean, dtype=np.float32)) / np.array(self.cfg.std, dtype=np.float32)
        return x.transpose(2, 0, 1)[None]

    def cam(self, feats: np.ndarray, class_idx: int) -> np.ndarray:
        # plain CAM (fc weights x features), not Grad-CAM: ONNX has no gradients
        cam = np.tensordot(self.fc[class_idx], feats[0], axes=(0, 0))
        cam = np.maximum(cam, 0)
        return (cam / (cam.max() + 1e-6)).astype(np.float32)

    def predict(self, image_id: str, rgb: np.ndarray) -> PredictionResult:
        t0 = time.perf_counter()
        logits, feats = self.session.run(["logits", "features"], {"image": self.preprocess(rgb)})
        result = to_result(image_id, logits[0], self.cfg, self.version)
        if result.is_defect and self.cfg.heatmap.get("enabled", True):
            idx = self.cfg.classes.index(result.label)
            cam = self.cam(feats, idx)
            result.boxes = boxes_from_cam(cam, rgb.shape[:2], self.cfg)
            result.heatmap_path = save_heatmap(rgb, cam)
        result.latency_ms = round((time.perf_counter() - t0) * 1000, 1)
        return result
