"""Result types returned by the inference service and the batch scorer."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Optional


@dataclass
class BoundingBox:
    """Pixel box in the coordinates of the *original* upload, not the 384x384 input."""

    x_min: int
    y_min: int
    x_max: int
    y_max: int
    score: float  # mean Grad-CAM activation inside the box, 0..1


@dataclass
class PredictionResult:
    image_id: str
    label: str                      # one of config classes: "ok" or a defect class
    score: float                    # softmax probability of `label`
    is_defect: bool                 # True when P(ok) < thresholds.reject_if_ok_below
    class_scores: dict[str, float] = field(default_factory=dict)
    boxes: list[BoundingBox] = field(default_factory=list)
    heatmap_path: Optional[str] = None   # PNG overlay on local disk, None if heatmap disabled
    model_version: str = ""
    latency_ms: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class LabelledImage:
    """One row of data/labels_sample.csv (and of the full labels.csv on the share)."""

    image_path: str
    label: str
    shift: str          # "A" (06-14), "B" (14-22), "C" (22-06)
    camera_id: str
    inspector: str
    captured_at: str    # ISO 8601, local plant time
