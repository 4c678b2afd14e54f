#!/usr/bin/env bash
# Installs what make-corpus.sh, check-corpus.sh and compare.sh need (Debian 12, as root),
# skipping anything already present. --no-install-recommends keeps LibreOffice to the
# headless (-nogui) core: ~112 MB download, ~20 s on this machine's mirror.
set -euo pipefail
apt_packages=(poppler-utils poppler-data qpdf ghostscript
    libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui
    fonts-wqy-zenhei fonts-liberation2 catdoc)
missing=()
for package in "${apt_packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "== apt: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
python3 -c 'import reportlab, pikepdf, docx, odf' 2>/dev/null || { echo "== pip: reportlab pikepdf python-docx odfpy"; python3 -m pip install -q reportlab pikepdf python-docx odfpy; }
