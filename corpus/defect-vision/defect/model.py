"""Backbone factory. timm gives us the ImageNet weights; torchvision kept as fallback."""
from __future__ import annotations

import timm
import torch
import torch.nn as nn
import torchvision

SUPPORTED_BACKBONES = ("efficientnet_b0", "resnet18", "mobilenetv3_large_100")


def build_model(backbone: str, num_classes: int, pretrained: bool = True) -> nn.Module:
    if backbone not in SUPPORTED_BACKBONES:
        raise ValueError(f"backbone {backbone!r} not in {SUPPORTED_BACKBONES}")
    try:
        return timm.create_model(backbone, pretrained=pretrained, num_classes=num_classes, drop_rate=0.2)
    except RuntimeError:
        # offline on the line PC: timm cannot fetch weights from the hub
        if backbone != "efficientnet_b0":
            raise
        weights = torchvision.models.EfficientNet_B0_Weights.IMAGENET1K_V1 if pretrained else None
        m = torchvision.models.efficientnet_b0(weights=weights)
        m.classifier[1] = nn.Linear(m.classifier[1].in_features, num_classes)
        return m


def last_conv_layer(model: nn.Module) -> nn.Module:
    """Target layer for Grad-CAM."""
    if hasattr(model, "conv_head"):  # timm efficientnet / mobilenet
        return model.conv_head
    if hasattr(model, "layer4"):
        return model.layer4
    return model.features[-1]


@torch.no_grad()
def count_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
