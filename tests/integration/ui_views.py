"""Drive headless Chromium through the Airflow UI to the EvalGuard views (plugin external_views).

The UI frames each view at `{page}/plugin/{url_route}`; these helpers log in as the simple auth
manager's admin, open a view, switch into its frame and wait for its text.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import quote


def log_in(browser, base: str, home: Path) -> None:
    from selenium.webdriver.common.by import By

    password = json.loads((home / "simple_auth_manager_passwords.json.generated").read_text())["admin"]
    browser.get(base + "/")
    field = wait_for(browser, lambda: browser.find_elements(By.NAME, "username"))[0]
    field.send_keys("admin")
    browser.find_element(By.NAME, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(browser, lambda: not browser.find_elements(By.NAME, "password"))


def wait_for(browser, condition, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError(f"timed out on {browser.current_url}: {browser.page_source[:500]}")


def open_view(browser, url: str, expect: str) -> str:
    """Open `url` (a UI page ending in /plugin/<route>), switch into the view's frame and return
    its text once it contains `expect`; the browser stays in the frame."""
    from selenium.webdriver.common.by import By

    browser.switch_to.default_content()
    browser.get(url)
    frame = wait_for(browser, lambda: browser.find_elements(By.CSS_SELECTOR, "iframe"))[0]
    browser.switch_to.frame(frame)
    return wait_for(browser, lambda: expect in (text := browser.find_element(By.TAG_NAME, "body").text) and text)


def view_urls(base: str, dag_id: str, run_id: str, task_id: str) -> dict[str, str]:
    run = f"{base}/dags/{quote(dag_id, safe='')}/runs/{quote(run_id, safe='')}"
    return {
        "run": f"{run}/plugin/evalguard-run",
        "task": f"{run}/tasks/{quote(task_id, safe='')}/plugin/evalguard-task",
        "dag": f"{base}/dags/{quote(dag_id, safe='')}/plugin/evalguard-dag",
        "nav": f"{base}/plugin/evalguard",
    }
