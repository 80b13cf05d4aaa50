"""Dataset over the labels CSV exported from the inspection tablet."""
from __future__ import annotations

import os
from pathlib import Path

import cv2
import numpy as np
import pandas as pd
import torch
from torch.utils.data import Dataset

REQUIRED_COLUMNS = ["image_path", "label", "shift", "camera_id", "inspector", "captured_at"]
IMAGE_ROOT = os.environ.get("DEFECT_IMAGE_ROOT", "data/images")


def read_labels(csv_path: str, classes: list[str]) -> pd.DataFrame:
    df = pd.read_csv(csv_path)
    missing = [c for c in REQUIRED_COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"labels CSV missing columns: {missing}")
    unknown = set(df["label"]) - set(classes)
    if unknown:
        raise ValueError(f"unknown labels in {csv_path}: {sorted(unknown)}")
    df["y"] = df["label"].map({c: i for i, c in enumerate(classes)})
    return df


def class_weights(df: pd.DataFrame, num_classes: int) -> torch.Tensor:
    counts = np.bincount(df["y"].to_numpy(), minlength=num_classes).astype(np.float32)
    counts[counts == 0] = 1.0
    w = counts.sum() / (num_classes * counts)
    return torch.tensor(w, dtype=torch.float32)


class DefectDataset(Dataset):
    def __init__(self, df: pd.DataFrame, transform, image_root: str = IMAGE_ROOT):
        self.df = df.reset_index(drop=True)
        self.transform = transform
        self.root = Path(image_root)

    def __len__(self) -> int:
        return len(self.df)

    def __getitem__(self, idx: int):
        row = self.df.iloc[idx]
        img = cv2.imread(str(self.root / row["image_path"]), cv2.IMREAD_COLOR)
        if img is None:
            # FIXME: ~1% of the share's files are 0-byte (camera FTP drops); we just skip-by-black
            img = np.zeros((384, 384, 3), dtype=np.uint8)
        img = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
        out = self.transform(image=img)["image"]
        return out, int(row["y"])
