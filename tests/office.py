"""LibreOffice (headless) and poppler-utils, as the tests that look at the xlsx and docx files ledger writes use
them: convert with soffice, read the PDF back with pdftotext and pdfinfo. CI (.ci/run) installs both."""

import shutil
import subprocess

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_office = pytest.mark.skipif(
    not (SOFFICE and shutil.which("pdftotext")),
    reason="需要 LibreOffice 和 poppler-utils（Debian：apt-get install libreoffice-calc-nogui "
           "libreoffice-writer-nogui poppler-utils fonts-noto-cjk；.ci/run 会安装）")


def convert(path, to, folder, profile):
    """Converts path with headless LibreOffice into folder (to: pdf, xlsx …); the converted file's path.
    profile: a folder of its own for LibreOffice's settings, so that runs in parallel do not share one."""
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", to,
                           "--outdir", str(folder), str(path)], capture_output=True, text=True, timeout=300)
    made = folder / f"{path.stem}.{to.split(':')[0]}"
    assert done.returncode == 0 and made.exists(), (done.stdout, done.stderr)
    return made


def pdf_text(pdf):
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def pdf_pages(pdf):
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
