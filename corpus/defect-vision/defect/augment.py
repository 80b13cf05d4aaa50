"""Albumentations pipelines for training and eval.

The brightness / gamma / CLAHE block is there because night shift (C) images are
noticeably darker and warmer; see notes/known_problems.md.
"""
from __future__ import annotations

import albumentations as A
from albumentations.pytorch import ToTensorV2


def train_transforms(img_size: int, mean, std) -> A.Compose:
    return A.Compose(
        [
            A.LongestMaxSize(max_size=img_size),
            A.PadIfNeeded(img_size, img_size, border_mode=0),
            A.HorizontalFlip(p=0.5),
            A.VerticalFlip(p=0.5),
            A.RandomRotate90(p=0.5),
            A.ShiftScaleRotate(shift_limit=0.05, scale_limit=0.1, rotate_limit=10, border_mode=0, p=0.5),
            # lighting: shift differences
            A.RandomBrightnessContrast(brightness_limit=0.3, contrast_limit=0.25, p=0.7),
            A.RandomGamma(gamma_limit=(70, 140), p=0.4),
            A.CLAHE(clip_limit=2.0, p=0.2),
            A.HueSaturationValue(hue_shift_limit=5, sat_shift_limit=15, val_shift_limit=15, p=0.3),
            A.GaussNoise(var_limit=(5.0, 25.0), p=0.2),
            # NOTE: no CoarseDropout -- it erased the small cracks and recall on crack dropped
            A.Normalize(mean=mean, std=std),
            ToTensorV2(),
        ]
    )


def eval_transforms(img_size: int, mean, std) -> A.Compose:
    return A.Compose(
        [
            A.LongestMaxSize(max_size=img_size),
            A.PadIfNeeded(img_size, img_size, border_mode=0),
            A.Normalize(mean=mean, std=std),
            ToTensorV2(),
        ]
    )
