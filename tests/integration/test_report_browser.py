"""The HTML report in a real headless browser: it renders, injected markup stays text and runs
nothing, it makes no network request, and a 50,000-slice report opens fast."""

import time
from pathlib import Path

import pytest

from airflow_evalguard.report.render import render_report
from tests.integration.browser import requested_urls, start_browser, stop_browser
from tests.report.hostile import IMG_MESSAGE, SCRIPT_SLICE, hostile_result


def requested_urls_seen(browser, page):
    """Reload and record again: the first list was consumed by the check above."""
    browser.get(page.as_uri())
    return requested_urls(browser)


pytestmark = pytest.mark.integration

ARTIFACTS = Path(__file__).resolve().parents[2] / ".test-artifacts"


@pytest.fixture(scope="module")
def browser():
    driver = start_browser()
    yield driver
    stop_browser(driver)


def _open(browser, html: str, path: Path) -> float:
    path.write_text(html, encoding="utf-8")
    browser.get_log("performance")  # forget earlier pages
    t0 = time.perf_counter()
    browser.get(path.as_uri())
    browser.execute_script("return document.readyState")
    return time.perf_counter() - t0


def test_report_renders_and_injected_markup_is_inert(browser, tmp_path):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    page = tmp_path / "report.html"
    _open(browser, render_report(hostile_result().to_dict()), page)
    banner = browser.find_element(By.ID, "verdict")
    assert banner.text.startswith("FAIL") and "slice_retention" in banner.text
    assert len(browser.find_elements(By.CSS_SELECTOR, "#plots svg")) >= 1
    assert browser.find_elements(By.CSS_SELECTOR, "#metrics table tr")
    assert browser.find_elements(By.CSS_SELECTOR, "#slices table tr")
    # the hostile strings are on the page as text, not as elements
    assert SCRIPT_SLICE in browser.find_element(By.ID, "slices").text
    assert IMG_MESSAGE in browser.find_element(By.ID, "findings").text
    assert browser.find_elements(By.TAG_NAME, "script") == []
    assert browser.find_elements(By.CSS_SELECTOR, "img") == []
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018 - raises when no alert() ran
    # no request left the machine: only the file itself (and the browser's own chrome:// assets)
    assert [u for u in requested_urls(browser) if u.split(":", 1)[0] not in ("file", "chrome", "data")] == []
    assert any(u.startswith("file://") for u in requested_urls_seen(browser, page))
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report_hostile.png"
    browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000


def test_a_50000_slice_report_is_small_and_opens_fast(browser, tmp_path):
    html = render_report(hostile_result(50_000).to_dict())
    assert len(html.encode()) < 5 * 1024 * 1024
    seconds = _open(browser, html, tmp_path / "big.html")
    from selenium.webdriver.common.by import By

    assert "500 worst of 50,000" in browser.find_element(By.ID, "slices-truncated").text
    assert seconds < 2.0, f"opened in {seconds:.2f} s"


@pytest.fixture(scope="module")
def shifted_mix_report():
    """A real sampling_window FAIL on the demo's 3 am cron sample: long findings beside short codes."""
    from airflow_evalguard.demo import data
    from airflow_evalguard.run import run_check

    traffic = data.production_traffic(30_000, seed=0)
    inputs = {"sample": data.eval_sample(traffic, n=4_000, fault="cron_window"), "reference": traffic}
    result = run_check("sampling_window", inputs, {"dimensions": ["region", "source", "is_retry"]})
    return render_report(result.to_dict(), result.evidence)


def _page_overflow(browser) -> int:
    """Pixels the page is wider than the window (a wide table scrolls inside its own box instead)."""
    return browser.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth;")


def _lines_per_code(browser, selector: str) -> dict[str, int]:
    # An inline element has one client rect per line it occupies: 2+ means the word was broken.
    return browser.execute_script(
        "const out = {}; for (const el of document.querySelectorAll(arguments[0])) "
        "{ out[el.textContent] = Math.max(out[el.textContent] || 0, el.getClientRects().length); } return out;",
        selector,
    )


@pytest.mark.parametrize("width", [1400, 800])
def test_finding_codes_never_break_inside_a_word(browser, tmp_path, shifted_mix_report, width):
    browser.set_window_size(width, 1200)
    _open(browser, shifted_mix_report, tmp_path / "mix.html")
    lines = _lines_per_code(browser, "#findings code")
    assert {"MIX_SHIFT", "LOW_COVERAGE"} <= set(lines)
    assert {code: n for code, n in lines.items() if n != 1} == {}
    assert _page_overflow(browser) <= 0  # the 9-column evidence table scrolls inside its box
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / f"report_findings_{width}px.png"))


@pytest.mark.parametrize("width", [1400, 800])
def test_slice_retention_report_reads_worst_first_in_words_that_match_the_signs(browser, tmp_path, width):
    from selenium.webdriver.common.by import By

    from airflow_evalguard.run import run_check
    from tests.checks.slice_retention.helpers import ISSUE20_CELLS, correct_pairs

    teacher, student = correct_pairs(ISSUE20_CELLS)
    result = run_check("slice_retention", {"teacher": teacher, "student": student}, {"slice_columns": ["slice"]})
    browser.set_window_size(width, 1200)
    _open(browser, render_report(result.to_dict(), result.evidence), tmp_path / "slices.html")
    rows = browser.find_elements(By.CSS_SELECTOR, "#slices table tr")[1:]
    assert [row.find_element(By.TAG_NAME, "td").text for row in rows] == [
        "slice=tiny",  # unsettled: first
        "slice=mid",  # the only (insignificant) drop
        "slice=rare",  # improved by 4.7 points
        "slice=big",  # improved by 4.9 points
    ]
    summary = browser.find_element(By.ID, "summary").text
    assert "overall (improved by" in summary and "do not change the verdict" in summary
    assert {code: n for code, n in _lines_per_code(browser, "#findings code").items() if n != 1} == {}
    assert _page_overflow(browser) <= 0
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / f"report_slice_retention_{width}px.png"))
