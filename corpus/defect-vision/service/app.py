"""aiohttp inference service for the Line 3 inspection station.

    python -m service.app --port 8080

POST /predict   multipart form, field "image" (JPEG/PNG), optional "image_id"
GET  /health    model version, classes, thresholds
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import os

import cv2
import numpy as np
from aiohttp import web

from defect.config import load_config
from service.inference import DefectModel

log = logging.getLogger("defect.service")
MAX_UPLOAD_MB = int(os.environ.get("DEFECT_MAX_UPLOAD_MB", "8"))
ALLOWED_TYPES = {"image/jpeg", "image/png"}


async def health(request: web.Request) -> web.Response:
    model: DefectModel = request.app["model"]
    return web.json_response({
        "status": "ok",
        "model_version": model.version,
        "classes": model.cfg.classes,
        "reject_if_ok_below": model.cfg.thresholds.reject_if_ok_below,
    })


async def predict(request: web.Request) -> web.Response:
    model: DefectModel = request.app["model"]
    reader = await request.multipart()
    image_bytes, image_id = None, None
    async for part in reader:
        if part.name == "image":
            if part.headers.get("Content-Type") not in ALLOWED_TYPES:
                return web.json_response({"error": "image must be image/jpeg or image/png"}, status=415)
            image_bytes = await part.read(decode=False)
        elif part.name == "image_id":
            image_id = (await part.text()).strip()
    if not image_bytes:
        return web.json_response({"error": "missing form field 'image'"}, status=400)

    arr = cv2.imdecode(np.frombuffer(image_bytes, np.uint8), cv2.IMREAD_COLOR)
    if arr is None:
        return web.json_response({"error": "could not decode image"}, status=422)
    rgb = cv2.cvtColor(arr, cv2.COLOR_BGR2RGB)
    image_id = image_id or f"upload-{request.app['counter']}"
    request.app["counter"] += 1

    # onnxruntime releases the GIL; run in the default executor so /health stays responsive
    loop = asyncio.get_running_loop()
    result = await loop.run_in_executor(None, model.predict, image_id, rgb)
    log.info("predict id=%s label=%s score=%.3f defect=%s %.1fms",
             result.image_id, result.label, result.score, result.is_defect, result.latency_ms)
    # TODO: no auth at all -- fine on the isolated line VLAN, not fine anywhere else
    return web.json_response(result.to_dict())


def create_app(model_path: str | None = None) -> web.Application:
    cfg = load_config()
    model_path = model_path or os.environ.get("DEFECT_MODEL_PATH", "models/defect_effb0_384.onnx")
    app = web.Application(client_max_size=MAX_UPLOAD_MB * 1024 * 1024)
    app["model"] = DefectModel(model_path, cfg)
    app["counter"] = 0
    app.router.add_get("/health", health)
    app.router.add_post("/predict", predict)
    return app


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="0.0.0.0")
    p.add_argument("--port", type=int, default=8080)
    args = p.parse_args()
    web.run_app(create_app(), host=args.host, port=args.port)
