"""Images: decoded, scaled and encoded once per process, drawn as PDF image objects."""

from __future__ import annotations

import hashlib
import io
import logging
import struct
import threading
from collections import OrderedDict
from dataclasses import dataclass

from PIL import Image, ImageOps
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFObject, PDFStream
from reportlab.pdfgen.canvas import Canvas

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------
# Images: decoded and encoded once per process
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _PreparedImage:
    """A PDF image XObject's stream, ready to be copied into any document."""

    key: str
    width: int  # pixels
    height: int
    colour_space: str  # DeviceRGB | DeviceGray
    filter: str  # DCTDecode | FlateDecode
    data: bytes
    colours: int = 3  # for the PNG predictor of FlateDecode streams
    smask: _PreparedImage | None = None

    @property
    def aspect(self) -> float:
        return self.width / self.height


_IMAGE_CACHE_SIZE = 32
_image_lock = threading.Lock()
_image_cache: OrderedDict[tuple[str, int], _PreparedImage | None] = OrderedDict()
# id(bytes) -> (bytes, digest): avoids rehashing the very same bytes object (a template
# reused for thousands of certificates); holding the object keeps its id from being reused.
_digest_memo: OrderedDict[int, tuple[bytes, str]] = OrderedDict()


def _digest(data: bytes) -> str:
    memo = _digest_memo.get(id(data))
    if memo is not None and memo[0] is data:
        return memo[1]
    digest = hashlib.sha256(data).hexdigest()
    with _image_lock:
        _digest_memo[id(data)] = (data, digest)
        while len(_digest_memo) > _IMAGE_CACHE_SIZE:
            _digest_memo.popitem(last=False)
    return digest


def _png_stream(image: Image.Image) -> bytes:
    """Flate data with PNG predictors: the concatenated IDAT chunks of a PNG encoding."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=9)
    png = buffer.getvalue()
    pos, chunks = 8, []
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind = png[pos + 4 : pos + 8]
        if kind == b"IDAT":
            chunks.append(png[pos + 8 : pos + 8 + length])
        pos += 12 + length
    return b"".join(chunks)


def _encode_image(key: str, data: bytes, max_side: int) -> _PreparedImage:
    with Image.open(io.BytesIO(data)) as original:
        fmt = original.format
        orientation = original.getexif().get(0x0112, 1) if fmt == "JPEG" else 1
        if (
            fmt == "JPEG"
            and original.mode in ("L", "RGB")
            and orientation == 1
            and max(original.size) <= max_side
        ):
            # JPEG goes into the PDF as it is, without decoding the pixels.
            return _PreparedImage(
                key=key,
                width=original.width,
                height=original.height,
                colour_space="DeviceGray" if original.mode == "L" else "DeviceRGB",
                filter="DCTDecode",
                data=data,
            )
        image = ImageOps.exif_transpose(original)
        image.load()

    alpha = None
    if image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info:
        image = image.convert("RGBA")
        alpha = image.getchannel("A")
        if alpha.getextrema() == (255, 255):
            alpha = None
    grey = image.mode in ("1", "L", "LA", "La", "I", "I;16", "F")
    base = image.convert("L" if grey else "RGB")
    if max(base.size) > max_side:
        base.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        if alpha is not None:
            alpha = alpha.resize(base.size, Image.Resampling.LANCZOS)

    smask = None
    if alpha is not None:
        smask = _PreparedImage(
            key=key + "a",
            width=alpha.width,
            height=alpha.height,
            colour_space="DeviceGray",
            filter="FlateDecode",
            data=_png_stream(alpha),
            colours=1,
        )
    if fmt == "JPEG" and alpha is None:
        buffer = io.BytesIO()
        base.save(buffer, format="JPEG", quality=90, optimize=True)
        return _PreparedImage(
            key=key,
            width=base.width,
            height=base.height,
            colour_space="DeviceGray" if grey else "DeviceRGB",
            filter="DCTDecode",
            data=buffer.getvalue(),
        )
    return _PreparedImage(
        key=key,
        width=base.width,
        height=base.height,
        colour_space="DeviceGray" if grey else "DeviceRGB",
        filter="FlateDecode",
        data=_png_stream(base),
        colours=1 if grey else 3,
        smask=smask,
    )


def _prepared_image(data: bytes | None, max_side: int) -> _PreparedImage | None:
    """The cached, PDF-ready form of ``data``; ``None`` for no or undecodable images."""
    if not data:
        return None
    key = (_digest(data), max_side)
    with _image_lock:
        if key in _image_cache:
            _image_cache.move_to_end(key)
            return _image_cache[key]
    try:
        prepared = _encode_image(f"{key[0][:40]}s{max_side}", data, max_side)
    except Exception:  # a broken template image must not stop certificates being issued
        logger.warning("Certificate image could not be decoded; it is left out.", exc_info=True)
        prepared = None
    with _image_lock:
        _image_cache[key] = prepared
        while len(_image_cache) > _IMAGE_CACHE_SIZE:
            _image_cache.popitem(last=False)
    return prepared


class _ImageXObject(PDFObject):
    """An image XObject whose stream was prepared beforehand (see ``_PreparedImage``)."""

    def __init__(self, image: _PreparedImage, smask=None):
        self.image = image
        self.smask = smask

    def format(self, document):
        image = self.image
        stream = PDFStream(content=image.data)
        d = stream.dictionary
        d["Type"] = PDFName("XObject")
        d["Subtype"] = PDFName("Image")
        d["Width"] = image.width
        d["Height"] = image.height
        d["BitsPerComponent"] = 8
        d["ColorSpace"] = PDFName(image.colour_space)
        d["Filter"] = PDFName(image.filter)
        if image.filter == "FlateDecode":
            d["DecodeParms"] = PDFDictionary(
                {
                    "Predictor": 15,
                    "Colors": image.colours,
                    "BitsPerComponent": 8,
                    "Columns": image.width,
                }
            )
        if self.smask is not None:
            d["SMask"] = self.smask
        return stream.format(document)


def _draw_prepared(canvas: Canvas, image: _PreparedImage, x: float, y: float, w: float, h: float):
    """Draw a prepared image into the rectangle; its stream is added to the PDF once."""
    doc = canvas._doc  # ReportLab has no public API for pre-encoded image streams
    name = f"Img{image.key}"
    internal = doc.getXObjectName(name)
    if internal not in doc.idToObject:
        smask = None
        if image.smask is not None:
            smask_internal = doc.getXObjectName(f"Img{image.smask.key}")
            smask = doc.Reference(_ImageXObject(image.smask), smask_internal)
        doc.addForm(name, _ImageXObject(image, smask))
    canvas._currentPageHasImages = 1
    canvas.saveState()
    canvas.transform(w, 0, 0, h, x, y)
    canvas.doForm(name)
    canvas.restoreState()


def _contain(aspect: float, box_w: float, box_h: float) -> tuple[float, float]:
    """Largest size with the given aspect ratio inside the box."""
    if box_w / box_h > aspect:
        return box_h * aspect, box_h
    return box_w, box_w / aspect
