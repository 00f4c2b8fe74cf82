#!/usr/bin/env python3
"""Drives the page `imgsearch serve` serves at `/` in a headless Chromium.

Run by scripts/test-browser.sh against a live server over a small index:

    test_page.py --base http://127.0.0.1:PORT --upload PHOTO --not-image FILE --out artifacts/screenshots

It checks what a user would see, against what the JSON API itself answers:
the grid's thumbnails really load, a click shows that image's nearest
images (itself first, Hamming 0), a chosen file is searched, the duplicate
groups and the info are shown, every view has its own fragment and can be
opened directly, API errors are shown in the page, and a phone-width window
has no horizontal scroll. It saves a screenshot of each view. Exit status:
0 passed, 1 a check failed (the message says which).
"""

import argparse
import base64
import json
import os
import re
import shutil
import sys
import time
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait


class CheckFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise CheckFailed(message)


def api(base, path):
    with urllib.request.urlopen(base + path, timeout=300) as response:
        return json.load(response)


def chromium_binary():
    # The real binary, not Debian's /usr/bin/chromium wrapper script.
    for candidate in ("/usr/lib/chromium/chromium", shutil.which("chromium"), shutil.which("chromium-browser"),
                      shutil.which("google-chrome")):
        if candidate and os.path.exists(candidate):
            return candidate
    raise CheckFailed("no chromium binary found")


def start_browser(width, height, mobile=False):
    options = webdriver.ChromeOptions()
    options.binary_location = chromium_binary()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--hide-scrollbars", "--window-size=%d,%d" % (width, height), "--lang=en-US"):
        options.add_argument(argument)
    if mobile:
        # A phone: its viewport, pixel ratio and touch, so the viewport meta tag counts.
        options.add_experimental_option("mobileEmulation", {
            "deviceMetrics": {"width": width, "height": height, "pixelRatio": 3.0, "touch": True},
            "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
                         "Chrome/120.0 Mobile Safari/537.36",
        })
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver_path = shutil.which("chromedriver") or "/usr/lib/chromium/chromedriver"
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(60)
    return driver


class PageTest:
    def __init__(self, driver, base, out, label):
        self.driver = driver
        self.base = base
        self.out = out
        self.label = label

    # ---- helpers ----------------------------------------------------------

    def wait(self, condition, message, timeout=30):
        try:
            return WebDriverWait(self.driver, timeout, poll_frequency=0.1).until(lambda d: condition())
        except TimeoutException:
            error = self.page_error()
            raise CheckFailed("%s: %s (after %d s)%s" % (self.label, message, timeout,
                                                         "; the page shows: " + error if error else ""))

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def page_error(self):
        try:
            return self.js("const e = document.getElementById('error'); "
                           "return e && e.classList.contains('shown') ? e.textContent : '';")
        except WebDriverException:
            return ""

    def fragment(self):
        return self.js("return location.hash;")

    def visible(self, selector):
        return self.js("const e = document.querySelector(arguments[0]); "
                       "return !!e && !e.closest('[hidden]') && e.getClientRects().length > 0;", selector)

    def count(self, selector):
        return self.js("return document.querySelectorAll(arguments[0]).length;", selector)

    def loaded_images(self, selector, at_least):
        """Waits until the first `at_least` images matching selector have
        decoded (naturalWidth > 0): lazily loaded ones load once in view."""
        script = ("const imgs = Array.from(document.querySelectorAll(arguments[0])).slice(0, arguments[1]);"
                  "return imgs.length >= arguments[1] && imgs.every(i => i.complete && i.naturalWidth > 0);")
        self.wait(lambda: self.js(script, selector, at_least),
                  "the first %d images of %s did not load" % (at_least, selector))

    def no_horizontal_scroll(self, view):
        scroll_width, inner_width = self.js(
            "return [document.scrollingElement.scrollWidth, window.innerWidth];")
        check(scroll_width <= inner_width + 1, "%s: the %s view scrolls sideways: scrollWidth %d > innerWidth %d"
              % (self.label, view, scroll_width, inner_width))

    def screenshot(self, name):
        self.js("window.scrollTo(0, 0);")
        try:  # the pointer off the tiles, so no tile shows its hover outline
            ActionChains(self.driver).move_to_element(self.driver.find_element(By.TAG_NAME, "h1")).perform()
        except WebDriverException:
            pass
        time.sleep(0.3)  # let the spinner/transitions settle
        path = os.path.join(self.out, name + ".png")
        self.driver.save_screenshot(path)
        print("  screenshot %s" % path)

    def go(self, fragment):
        """Opens the page afresh at /#fragment (a new document, not a hash change)."""
        self.driver.get("about:blank")
        self.driver.get(self.base + "/" + fragment)

    def severe_console_messages(self):
        try:
            logs = self.driver.get_log("browser")
        except WebDriverException:
            return []
        return [entry["message"] for entry in logs if entry.get("level") == "SEVERE"]


def desktop(base, out, upload, copies, not_image):
    info = api(base, "/api/info")
    listing = api(base, "/api/images?offset=0&limit=1000")
    total = listing["total"]
    check(total >= 2, "the index should hold a few images, it holds %d" % total)
    print("index: %d images" % total)
    driver = start_browser(1280, 900)
    t = PageTest(driver, base, out, "desktop")
    try:
        # The collection grid, the default view.
        driver.get(base + "/")
        t.wait(lambda: t.count("#grid .tile img") > 0, "the grid shows no tiles")
        check(t.fragment() == "#page=1", "the grid's fragment should be #page=1, it is %r" % t.fragment())
        page_size = t.count("#grid .tile")
        check(page_size == min(total, 60), "the grid shows %d tiles, not a page of 60 (or all %d)" % (page_size, total))
        first_ids = [int(x) for x in t.js("return Array.from(document.querySelectorAll('#grid .tile')).map(a => a.dataset.id);")]
        expected_ids = [image["id"] for image in listing["images"][:page_size]]
        check(first_ids == expected_ids, "the grid's tiles %s are not the first images %s" % (first_ids[:8], expected_ids[:8]))
        check(t.js("return document.querySelector('#grid .tile img').getAttribute('loading');") == "lazy",
              "grid thumbnails should load lazily (loading=\"lazy\")")
        src = t.js("return document.querySelector('#grid .tile img').getAttribute('src');")
        check(re.fullmatch(r"/api/images/\d+/thumbnail\?size=256", src or ""), "unexpected thumbnail src %r" % src)
        t.loaded_images("#grid .tile img", min(page_size, 12))
        print("grid: %d tiles on page 1, thumbnails load" % page_size)
        t.screenshot("grid")

        # Paging, when there is more than one page.
        if total > page_size:
            driver.find_element(By.ID, "next").click()
            t.wait(lambda: t.fragment() == "#page=2", "Next did not go to #page=2")
            t.wait(lambda: t.js("const a = document.querySelector('#grid .tile'); return a && a.dataset.id;")
                   == str(listing["images"][page_size]["id"]), "page 2 does not start with image %d" % page_size)
            driver.find_element(By.ID, "prev").click()
            t.wait(lambda: t.fragment() == "#page=1", "Previous did not go back to #page=1")
            t.wait(lambda: t.js("const a = document.querySelector('#grid .tile'); return a && a.dataset.id;")
                   == str(listing["images"][0]["id"]), "page 1 did not come back")
            print("paging: #page=2 and back")

        # A click on a tile: its nearest images, itself first.
        tile = driver.find_elements(By.CSS_SELECTOR, "#grid .tile")[2 if page_size > 2 else 0]
        clicked = int(tile.get_attribute("data-id"))
        tile.click()
        t.wait(lambda: t.fragment() == "#similar=%d" % clicked, "clicking image %d did not open #similar=%d" % (clicked, clicked))
        t.wait(lambda: t.visible("#results .result"), "the similar view shows no results")
        first = t.js("const r = document.querySelector('#results .result'); return [r.dataset.id, r.dataset.rank, r.dataset.hamming];")
        check(first == [str(clicked), "1", "0"], "the first similar result should be image %d at rank 1, Hamming 0; it is id %s rank %s Hamming %s"
              % (clicked, first[0], first[1], first[2]))
        text = driver.find_element(By.CSS_SELECTOR, "#results .result").text
        check("H 0" in text and "#1" in text, "the first result does not show its rank and Hamming distance: %r" % text)
        check(re.search(r"d \d", text), "the first result does not show its real distance: %r" % text)
        similar = api(base, "/api/images/%d/similar?k=24" % clicked)
        check(t.count("#results .result") == len(similar["results"]),
              "the similar view shows %d results, the API answers %d" % (t.count("#results .result"), len(similar["results"])))
        t.loaded_images("#results .result img", min(8, len(similar["results"])))
        print("similar: image %d first of %d results (rank 1, Hamming 0)" % (clicked, len(similar["results"])))
        t.screenshot("similar")

        # Back returns to the grid.
        driver.back()
        t.wait(lambda: t.fragment() == "#page=1" and t.visible("#grid .tile"), "Back did not return to the grid")

        # Search by a chosen file.
        driver.find_element(By.ID, "file-input").send_keys(os.path.abspath(upload))
        t.wait(lambda: t.fragment() == "#search", "choosing a file did not open #search")
        t.wait(lambda: t.visible("#results .result"), "the upload search shows no results", timeout=60)
        first = t.js("const r = document.querySelector('#results .result'); return [r.dataset.rank, r.dataset.hamming, r.dataset.distance];")
        check(first[0] == "1" and first[1] == "0" and abs(float(first[2])) < 1e-3,
              "uploading an indexed file should find it first (rank 1, Hamming 0, distance 0); the first result has rank %s Hamming %s distance %s" % tuple(first))
        check(os.path.basename(upload) in driver.find_element(By.ID, "query").text, "the upload view does not name the uploaded file")
        t.loaded_images("#results .result img", min(8, t.count("#results .result")))
        print("upload: %s found itself first, %d results" % (os.path.basename(upload), t.count("#results .result")))
        t.screenshot("upload")

        # A photo dropped on the page (a synthetic drop of the same file's bytes).
        with open(upload, "rb") as handle:
            encoded = base64.b64encode(handle.read()).decode("ascii")
        driver.get("about:blank")
        driver.get(base + "/#page=1")
        t.wait(lambda: t.count("#grid .tile") > 0, "the grid shows no tiles")
        overlay = t.js("""
            const bytes = Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], arguments[1], { type: 'image/png' }));
            const target = document.querySelector('#grid .tile');
            target.dispatchEvent(new DragEvent('dragenter', { bubbles: true, cancelable: true, dataTransfer: transfer }));
            const shown = document.getElementById('drop').classList.contains('shown');
            target.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer }));
            return shown;""", encoded, os.path.basename(upload))
        check(overlay, "dragging a file over the page does not show the drop overlay")
        t.wait(lambda: t.fragment() == "#search", "dropping a file did not open #search")
        t.wait(lambda: t.visible("#results .result"), "the dropped file's search shows no results", timeout=60)
        check(t.js("return document.querySelector('#results .result').dataset.hamming;") == "0",
              "the dropped file is not found first (Hamming 0)")
        check(not t.js("return document.getElementById('drop').classList.contains('shown');"), "the drop overlay stays after the drop")
        print("drop: the dropped file found itself first")

        # An upload that is no picture: the API's error, shown in the page.
        driver.find_element(By.ID, "file-input").send_keys(os.path.abspath(not_image))
        t.wait(lambda: t.page_error() != "", "uploading a non-image shows no error in the page")
        error = t.page_error()
        check(re.search(r"Error (400|415)", error), "the error for a non-image upload should say 400 or 415: %r" % error)
        print("upload error shown: %s" % error.strip()[:120])
        t.screenshot("upload-error")

        # The duplicates, by the nav link.
        dupes = api(base, "/api/duplicates")
        check(len(dupes["groups"]) >= 1, "the index should have a duplicate group (two identical copies); /api/duplicates: %s"
              % json.dumps(dupes)[:300])
        driver.find_element(By.CSS_SELECTOR, "#nav a[data-view=duplicates]").click()
        t.wait(lambda: t.fragment() == "#duplicates", "the Duplicates link did not open #duplicates")
        t.wait(lambda: t.count("#dupes .group") > 0, "the duplicates view lists no group", timeout=180)
        check(t.count("#dupes .group") == len(dupes["groups"]), "the page lists %d groups, the API %d"
              % (t.count("#dupes .group"), len(dupes["groups"])))
        shown_groups = t.js("return Array.from(document.querySelectorAll('#dupes .group')).map("
                            "g => Array.from(g.querySelectorAll('.tile')).map(a => Number(a.dataset.id)));")
        check(shown_groups == [group["ids"] for group in dupes["groups"]],
              "the page shows the groups %s, the API answers %s" % (shown_groups, [group["ids"] for group in dupes["groups"]]))
        copy_paths = {os.path.realpath(path) for path in copies}
        copy_groups = [group for group in dupes["groups"] if copy_paths <= {os.path.realpath(path) for path in group["paths"]}]
        check(copy_groups, "no duplicate group holds both identical copies %s; the groups: %s"
              % (sorted(copy_paths), [group["paths"] for group in dupes["groups"]]))
        t.loaded_images("#dupes .group .tile img", min(8, sum(len(group) for group in shown_groups)))
        print("duplicates: %d groups shown, the identical copies in a group of %d"
              % (len(dupes["groups"]), len(copy_groups[0]["ids"])))
        t.screenshot("duplicates")

        # The info, by the nav link.
        driver.find_element(By.CSS_SELECTOR, "#nav a[data-view=info]").click()
        t.wait(lambda: t.fragment() == "#info", "the Info link did not open #info")
        t.wait(lambda: t.visible("#info [data-field=images]"), "the info view shows no image count")
        shown = driver.find_element(By.CSS_SELECTOR, "#info [data-field=images]").text
        check(int(re.sub(r"\D", "", shown) or -1) == info["images"], "the info view says %r images, /api/info %d" % (shown, info["images"]))
        bits = driver.find_element(By.CSS_SELECTOR, "#info [data-field=bits]").text
        check(bits == str(info["bits"]), "the info view says %r bits, /api/info %d" % (bits, info["bits"]))
        check(driver.find_element(By.CSS_SELECTOR, "#info [data-field=indexing]").text != "", "the info view does not say whether it is indexing")
        print("info: %s images, %s bits, model %s" % (shown, bits, driver.find_element(By.CSS_SELECTOR, "#info [data-field=modelName]").text))
        t.screenshot("info")

        # Shared addresses: each view opened directly.
        target = listing["images"][-1]["id"]
        t.go("#similar=%d" % target)
        t.wait(lambda: t.visible("#results .result"), "opening /#similar=%d directly shows no results" % target)
        first = t.js("const r = document.querySelector('#results .result'); return [r.dataset.id, r.dataset.rank];")
        check(first == [str(target), "1"], "/#similar=%d directly: the first result is %s" % (target, first))
        if total > page_size:
            t.go("#page=2")
            t.wait(lambda: t.js("const a = document.querySelector('#grid .tile'); return a && a.dataset.id;")
                   == str(listing["images"][page_size]["id"]), "opening /#page=2 directly does not show page 2")
        last_page = (total + 59) // 60
        t.go("#page=%d" % (last_page + 10))  # past the end: the last page
        t.wait(lambda: t.fragment() == "#page=%d" % last_page and t.count("#grid .tile") == total - (last_page - 1) * 60,
               "opening /#page=%d does not land on the last page, %d" % (last_page + 10, last_page))
        t.go("#info")
        t.wait(lambda: t.visible("#info [data-field=images]"), "opening /#info directly shows no info")
        t.go("#duplicates")
        t.wait(lambda: t.count("#dupes .group") > 0, "opening /#duplicates directly lists no group", timeout=180)
        t.go("#search")  # an upload is not in the address: it asks for one
        t.wait(lambda: t.visible("#query"), "opening /#search directly shows nothing")
        check("Drop a photo" in driver.find_element(By.ID, "query").text, "/#search without an upload does not ask for a photo")
        print("direct addresses: #similar=%d, #page=2, #page past the end, #info, #duplicates, #search" % target)

        # A missing image: the API's 404, shown in the page.
        missing = max(image["id"] for image in listing["images"]) + 1000
        t.go("#similar=%d" % missing)
        t.wait(lambda: t.page_error() != "", "/#similar=%d shows no error" % missing)
        check("404" in t.page_error(), "/#similar=%d should show a 404: %r" % (missing, t.page_error()))
        print("missing image: %s" % t.page_error().strip()[:120])

        severe = t.severe_console_messages()
        # The two errors asked for above (the non-image upload, the missing
        # image) are logged by Chromium as failed resources; nothing else may be.
        unexpected = [m for m in severe if not re.search(r"/api/(search|images/%d(/similar)?)\S* - Failed to load resource" % missing, m)]
        check(not unexpected, "the browser console has errors:\n  " + "\n  ".join(unexpected))
    finally:
        driver.quit()
    return page_size


def phone(base, out):
    driver = start_browser(390, 844, mobile=True)
    t = PageTest(driver, base, out, "phone")
    try:
        driver.get(base + "/")
        t.wait(lambda: t.count("#grid .tile img") > 0, "the grid shows no tiles")
        t.loaded_images("#grid .tile img", 4)
        inner = t.js("return window.innerWidth;")
        check(inner <= 400, "the phone window is %d px wide, not a phone's width" % inner)
        t.no_horizontal_scroll("grid")
        columns = t.js("return getComputedStyle(document.getElementById('grid')).gridTemplateColumns.split(' ').length;")
        check(columns >= 2, "the phone grid has %d column(s)" % columns)
        print("phone grid: %d px wide, %d columns, no sideways scroll" % (inner, columns))
        t.screenshot("phone-grid")
        first = t.js("return document.querySelector('#grid .tile').dataset.id;")
        driver.find_element(By.CSS_SELECTOR, "#grid .tile").click()
        t.wait(lambda: t.visible("#results .result"), "the similar view shows no results")
        t.wait(lambda: t.fragment() == "#similar=" + first, "the phone's click did not open #similar")
        t.loaded_images("#results .result img", 2)
        t.no_horizontal_scroll("similar")
        t.screenshot("phone-similar")
        driver.find_element(By.CSS_SELECTOR, "#nav a[data-view=duplicates]").click()
        t.wait(lambda: t.count("#dupes .group") > 0, "the duplicates view lists no group", timeout=180)
        t.no_horizontal_scroll("duplicates")
        driver.find_element(By.CSS_SELECTOR, "#nav a[data-view=info]").click()
        t.wait(lambda: t.visible("#info [data-field=images]"), "the info view shows no image count")
        t.no_horizontal_scroll("info")
        t.screenshot("phone-info")
        print("phone: similar, duplicates and info fit the width")
    finally:
        driver.quit()


def with_token(token_base, token, out):
    """A server that wants its access token: the page opened once as
    /?token=T must then work by the cookie alone, thumbnails included."""
    driver = start_browser(1280, 900)
    t = PageTest(driver, token_base, out, "token")
    try:
        driver.get(token_base + "/#info")
        body = driver.find_element(By.TAG_NAME, "body").text
        check("401" in body, "without its token the server should answer 401, the page shows: %r" % body[:200])
        driver.get(token_base + "/?token=" + token + "#page=1")
        t.wait(lambda: t.count("#grid .tile img") > 0, "the page opened with ?token= shows no tiles")
        t.loaded_images("#grid .tile img", 8)
        check(t.js("return location.search;") == "", "the token should leave the address bar, it is %r" % driver.current_url)
        check(t.fragment() == "#page=1", "the fragment should stay #page=1, it is %r" % t.fragment())
        # A new document, no token in its address: the cookie alone.
        t.go("#info")
        t.wait(lambda: t.visible("#info [data-field=images]"), "with the token cookie, #info shows no info")
        driver.find_element(By.CSS_SELECTOR, "#nav a[data-view=grid]").click()
        t.wait(lambda: t.count("#grid .tile img") > 0, "with the token cookie, the grid shows no tiles")
        t.loaded_images("#grid .tile img", 8)
        print("token: 401 without it; after /?token= the cookie carries the API and thumbnails, and the address drops it")
    finally:
        driver.quit()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="the server, e.g. http://127.0.0.1:8080")
    parser.add_argument("--upload", required=True, help="an indexed picture to search by upload")
    parser.add_argument("--copies", nargs=2, required=True, metavar=("A", "B"),
                        help="two indexed files with the same bytes (they must be shown as duplicates)")
    parser.add_argument("--not-image", required=True, help="a file that is not a picture (its upload must be refused)")
    parser.add_argument("--token-base", help="the same index served with --token")
    parser.add_argument("--token", help="that server's token")
    parser.add_argument("--out", required=True, help="the folder for the screenshots")
    arguments = parser.parse_args()
    os.makedirs(arguments.out, exist_ok=True)
    base = arguments.base.rstrip("/")
    started = time.monotonic()
    try:
        desktop(base, arguments.out, arguments.upload, arguments.copies, arguments.not_image)
        phone(base, arguments.out)
        if arguments.token_base:
            with_token(arguments.token_base.rstrip("/"), arguments.token, arguments.out)
    except CheckFailed as failure:
        print("browser test FAILED: %s" % failure, file=sys.stderr)
        return 1
    print("browser test passed in %.1f s" % (time.monotonic() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
