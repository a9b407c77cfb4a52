"""Make the README's screenshot of the check page (docs/img/serve-check.png): a workspace
from the sample corpus, the app under uvicorn on 127.0.0.1, headless Chromium uploading
the sample draft. Needs Debian's chromium and chromium-driver (`make browser`).

    python bench/serve_screenshot.py [--out docs/img/serve-check.png]
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_serve import build_workspace  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img" / "serve-check.png")
    args = parser.parse_args()
    import uvicorn
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from tradelens.serve.app import create_app
    from tradelens.serve.engine import Settings

    os.environ.setdefault("SE_OFFLINE", "true")
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        build_workspace(store)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(create_app(Settings(store)), host="127.0.0.1",
                                               port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.1)
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--window-size=1280,1900",
                         "--hide-scrollbars"):
            options.add_argument(argument)
        driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
        try:
            driver.get(f"http://127.0.0.1:{port}/")
            draft = ROOT / "corpora" / "samples" / "draft_digital_chapter.txt"
            driver.find_element(By.ID, "file").send_keys(str(draft))
            driver.find_element(By.ID, "check-button").click()
            WebDriverWait(driver, 600).until(lambda d: "/draft/" in d.current_url)
            # the draft text in full height, so the highlighted clauses are in the picture
            driver.execute_script(
                "document.getElementById('draft-text').style.maxHeight = 'none';")
            args.out.parent.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(args.out))
        finally:
            driver.quit()
            server.should_exit = True
            thread.join(timeout=30)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
