"""The QR code printed on a certificate decodes to its verification URL: the certificate
page, drawn by Chromium, photographed and read by an independent decoder (zxing-cpp)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from certificates_support import dataset
from click.testing import CliRunner

from mirco_lms.certificates import pdf, records
from mirco_lms.cli import main
from mirco_lms.lrs.store import SqlStore
from mirco_lms.render.theme import Theme

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_the_printed_qr_code_decodes_to_the_verification_url(
    runner: CliRunner, loaded: SqlStore, project: Path, browser: Any
) -> None:
    zxingcpp = pytest.importorskip("zxingcpp")
    image = pytest.importorskip("PIL.Image")
    result = runner.invoke(main, ["certificates", "issue", "--course", dataset.C1, "--db",
                                  loaded.url, "--project", str(project)])
    assert result.exit_code == 0, result.output
    for cert in records.listed(loaded):
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        try:
            page.set_content(pdf.html(cert, issuer="Centre", theme=Theme.for_project(None)))
            page.add_style_tag(content=".qr svg { width: 300px; height: 300px; }")
            shot = page.locator(".qr svg").screenshot()
        finally:
            page.close()
        [found] = zxingcpp.read_barcodes(image.open(io.BytesIO(shot)))
        assert found.format == zxingcpp.BarcodeFormat.QRCode
        assert found.text == cert.verify_url
