"""Loads config/defect.yaml plus the environment overrides."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

DEFAULT_CONFIG = "config/defect.yaml"


@dataclass
class Thresholds:
    reject_if_ok_below: float
    per_class: dict[str, float] = field(default_factory=dict)


@dataclass
class DefectConfig:
    classes: list[str]
    img_size: int
    backbone: str
    mean: list[float]
    std: list[float]
    thresholds: Thresholds
    heatmap: dict
    train: dict

    @property
    def num_classes(self) -> int:
        return len(self.classes)

    @property
    def defect_classes(self) -> list[str]:
        return [c for c in self.classes if c != "ok"]


def load_config(path: str | None = None) -> DefectConfig:
    path = path or os.environ.get("DEFECT_CONFIG", DEFAULT_CONFIG)
    raw = yaml.safe_load(Path(path).read_text())
    if raw["classes"][0] != "ok":
        # the reject rule in defect/postprocess.py assumes index 0 is "ok"
        raise ValueError("first class in config must be 'ok'")
    th = raw.get("thresholds", {})
    return DefectConfig(
        classes=raw["classes"],
        img_size=int(raw.get("img_size", 384)),
        backbone=raw.get("backbone", "efficientnet_b0"),
        mean=raw["normalize"]["mean"],
        std=raw["normalize"]["std"],
        thresholds=Thresholds(
            reject_if_ok_below=float(th.get("reject_if_ok_below", 0.5)),
            per_class={k: float(v) for k, v in th.get("per_class", {}).items()},
        ),
        heatmap=raw.get("heatmap", {}),
        train=raw.get("train", {}),
    )
