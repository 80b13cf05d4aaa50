"""PDF -> page images -> text, with pytesseract + pdf2image."""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass

import pytesseract
from pdf2image import convert_from_bytes
from PIL import Image

log = logging.getLogger(__name__)

OCR_DPI = int(os.getenv("OCR_DPI", "300"))
TESSERACT_LANG = os.getenv("TESSERACT_LANG", "eng+deu")


@dataclass
class OcrPage:
    number: int
    text: str
    words: list[dict]  # tesseract image_to_data rows: text, left, top, width, height, conf
    mean_conf: float


def pdf_to_images(pdf_bytes: bytes, dpi: int = OCR_DPI, max_pages: int = 3) -> list[Image.Image]:
    # TODO: multi-page invoices: anything past max_pages is silently dropped
    return convert_from_bytes(pdf_bytes, dpi=dpi, first_page=1, last_page=max_pages)


def ocr_page(img: Image.Image, number: int, psm: int = 6) -> OcrPage:
    config = f"--oem 1 --psm {psm}"
    # NOTE: no deskew / rotation detection. Rotated scans come out as garbage.
    # pytesseract.image_to_osd could tell us the angle but it adds ~400 ms per page.
    data = pytesseract.image_to_data(
        img, lang=TESSERACT_LANG, config=config, output_type=pytesseract.Output.DICT
    )
    words = []
    for i, txt in enumerate(data["text"]):
        if not txt.strip():
            continue
        words.append(
            {
                "text": txt,
                "left": data["left"][i],
                "top": data["top"][i],
                "width": data["width"][i],
                "height": data["height"][i],
                "conf": float(data["conf"][i]),
                "line": (data["block_num"][i], data["par_num"][i], data["line_num"][i]),
            }
        )
    text = pytesseract.image_to_string(img, lang=TESSERACT_LANG, config=config)
    confs = [w["conf"] for w in words if w["conf"] >= 0]
    mean_conf = sum(confs) / len(confs) if confs else 0.0
    log.debug("page %d: %d words, mean conf %.1f", number, len(words), mean_conf)
    return OcrPage(number=number, text=text, words=words, mean_conf=mean_conf)


def ocr_pdf(pdf_bytes: bytes, dpi: int = OCR_DPI, max_pages: int = 3, psm: int = 6) -> list[OcrPage]:
    images = pdf_to_images(pdf_bytes, dpi=dpi, max_pages=max_pages)
    return [ocr_page(img, n, psm=psm) for n, img in enumerate(images, start=1)]
