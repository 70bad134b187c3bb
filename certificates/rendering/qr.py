"""The verification QR code."""

from __future__ import annotations

import itertools

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

# --------------------------------------------------------------------------------------
# QR code
# --------------------------------------------------------------------------------------


def build_qr_widget(url: str) -> QrCodeWidget:
    """ReportLab's QR widget for ``url`` (error correction M, quiet zone drawn separately)."""
    return QrCodeWidget(url, barLevel="M", barBorder=0, barWidth=100, barHeight=100)


def _draw_qr(canvas: Canvas, url: str, x: float, y: float, size: float, colour) -> int:
    """Draw the QR code for ``url`` as one vector path; returns its module count.

    The symbol is encoded by ReportLab's widget; instead of building a graphics Group of
    one validated shape per run of dark modules (``widget.draw()``, slow), the runs are
    added to a single path, which is several times faster and draws the same rectangles.
    """
    widget = build_qr_widget(url)
    qr = widget.qr
    qr.make()
    modules = qr.getModuleCount()
    unit = size / modules
    quiet = 4 * unit  # the standard four-module quiet zone, kept white
    canvas.saveState()
    canvas.setFillColor(colors.white)
    canvas.rect(x - quiet, y - quiet, size + 2 * quiet, size + 2 * quiet, stroke=0, fill=1)
    canvas.setFillColor(colour)
    path = canvas.beginPath()
    for r, row in enumerate(qr.modules):
        row_y = y + size - (r + 1) * unit
        c = 0
        for dark, run in itertools.groupby(map(bool, row)):
            count = sum(1 for _ in run)
            if dark:
                path.rect(x + c * unit, row_y, count * unit, unit)
            c += count
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
    return modules
