"""A full-page PNG of an overview page (`zfxxgk overview`) in headless Debian Chromium: `make screenshot`.

Usage: python scripts/screenshot_overview.py overview.html docs/overview.png [--width 1280]

The page's Chinese labels need a font of its CJK font stack: `make browser` installs Debian's fonts-noto-cjk, and
the script refuses to take a picture of empty boxes when fontconfig knows none of them.
"""

from __future__ import annotations

import argparse
import base64
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

from zfxxgk.serve.overview import FONT_FAMILY, headless_chromium_arguments

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def cjk_fonts_missing() -> bool:
    """True when fontconfig has no font of the page's CJK font stack (its generic sans-serif aside)."""
    stack = set(re.findall(r'"([^"]+)"', FONT_FAMILY))
    listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False).stdout
    installed = {name.strip() for line in listed.splitlines() for name in line.split(",")}
    return not stack & installed


def chromium(profile_dir: Path, width: int, height: int) -> webdriver.Chrome:
    """Headless Debian Chromium with its background networking off (the machine's network is closed)."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in headless_chromium_arguments(profile_dir, width, height):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)


def screenshot(page: Path, png: Path, width: int) -> tuple[int, int]:
    """Open the page, wait for its charts, and write the whole page (not only the window) to `png`."""
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile_dir:
        driver = chromium(Path(profile_dir), width, 2400)
        try:
            driver.get(page.resolve().as_uri())
            WebDriverWait(driver, 60).until(
                lambda d: d.execute_script(
                    "return document.readyState === 'complete' && Array.from("
                    "document.querySelectorAll('.js-plotly-plot')).every(gd => gd.querySelector('.main-svg'))"
                )
            )
            # The charts' toolbars show only on hover in a browser: keep them out of the picture.
            driver.execute_script(
                "const style = document.createElement('style');"
                "style.textContent = '.modebar-container { display: none !important; }';"
                "document.head.appendChild(style);"
            )
            height = int(driver.execute_script("return document.documentElement.scrollHeight"))
            driver.execute_cdp_cmd(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            )
            shot = driver.execute_cdp_cmd(
                "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "fromSurface": True}
            )
        finally:
            driver.quit()
    png.parent.mkdir(parents=True, exist_ok=True)
    png.write_bytes(base64.b64decode(shot["data"]))
    return width, height


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path, help="the overview HTML file")
    parser.add_argument("png", type=Path, help="the PNG to write")
    parser.add_argument("--width", type=int, default=1280, help="window width in CSS pixels (default 1280)")
    args = parser.parse_args()
    if cjk_fonts_missing():
        sys.exit(
            "error: no CJK font of the page's font stack is installed, the Chinese labels would be empty boxes: "
            "run `make browser` (apt-get install fonts-noto-cjk)"
        )
    width, height = screenshot(args.page, args.png, args.width)
    print(f"screenshot: {args.png} ({width}x{height})")


if __name__ == "__main__":
    main()
