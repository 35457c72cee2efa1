"""The offline site (coanalysis.site), built from the committed notebooks' stored outputs and
opened from the file system in a real headless browser: Debian's chromium driven by chromedriver
through Selenium, with every host name mapped to nowhere.

The browser must be there: `make test` and `.ci/run` install it (scripts/install_browser.sh);
when it is missing the browser tests fail and say how to install it, they never skip.
Screenshots of the home page and of a notebook page are kept in build/test-artefacts/ (not committed).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from coanalysis.errors import CoanalysisError
from coanalysis.site import MARKER, PAGES, build_site, tex_to_mathml

ROOT = Path(__file__).resolve().parents[1]
# 00 is the smallest notebook; 04 and 05 hold the project's TeX math ($N_h / n_h$, $N_h/n_h$)
NOTEBOOKS = [ROOT / "notebooks" / name for name in
             ("00_prise_en_main.ipynb", "04_barometre_usagers_agents.ipynb", "05_bien_etre_agents.ipynb")]
MATH_PAGE = "notebooks/04_barometre_usagers_agents.html"
ARTEFACTS = ROOT / "build" / "test-artefacts"
INSTALL = ("install Debian's chromium and its driver: `bash scripts/install_browser.sh` "
           "(as root it runs `apt-get install -y chromium chromium-driver`; `make test` runs it)")
# TeX left for a script to typeset: `$…$` with no space after the opening dollar
RAW_TEX = re.compile(r"\$[^\s$][^$]*\$")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("site") / "site", NOTEBOOKS, figures=ROOT / "figures")


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# ---------------------------------------------------------------------------------------------
# The files, without a browser


def test_two_builds_give_identical_bytes(site, tmp_path):
    again = build_site(tmp_path / "again", NOTEBOOKS, figures=ROOT / "figures")
    first, second = _tree(site), _tree(again)
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_every_page_and_figure_file_is_written(site):
    for pages in PAGES.values():
        for name in pages.values():
            assert (site / name).is_file(), name
    for nb in NOTEBOOKS:
        assert (site / "notebooks" / f"{nb.stem}.html").is_file()
    for sidecar in sorted((ROOT / "figures").glob("*.txt")):
        for ext in ("svg", "pdf", "png", "csv", "txt"):
            copy = site / "figures" / f"{sidecar.stem}.{ext}"
            assert copy.read_bytes() == (ROOT / "figures" / copy.name).read_bytes()


def test_no_page_loads_a_script(site):
    # the site needs none: math is MathML, figures are files or data: URLs
    for page in sorted(site.rglob("*.html")):
        assert "<script" not in page.read_text(encoding="utf-8"), page.name


def test_the_dictionary_lists_every_field_and_vocabulary_label(site):
    descriptor = json.loads((ROOT / "data" / "cases" / "datapackage.json").read_text(encoding="utf-8"))
    from coanalysis.codebook import VOCABULARIES

    html = (site / "data.en.html").read_text(encoding="utf-8")
    for res in descriptor["resources"]:
        assert f'id="table-{res["name"]}"' in html
        section = html.split(f'id="table-{res["name"]}"', 1)[1].split("</section>", 1)[0]
        for field in res["schema"]["fields"]:
            assert f"<code>{field['name']}</code>" in section, (res["name"], field["name"])
            vocab = field.get("coanalysis:vocabulary")
            if vocab:
                voc = html.split(f'id="vocab-{vocab}"', 1)[1].split("</section>", 1)[0]
                for term in VOCABULARIES[vocab]:
                    assert f"<code>{term.slug}</code>" in voc


def test_the_dictionary_speaks_the_page_language(site):
    # a constraint of cases.case_id, in the words of each page
    assert "obligatoire; unique; motif ^[a-z][a-z0-9_]*$" in (site / "donnees.html").read_text(encoding="utf-8")
    assert "required; unique; pattern ^[a-z][a-z0-9_]*$" in (site / "data.en.html").read_text(encoding="utf-8")


def test_english_figures_beside_french_ones_make_the_english_gallery(tmp_path):
    figures = tmp_path / "figures"
    (figures / "en").mkdir(parents=True)
    stem = "00_indice_coconstruction"
    for ext in ("svg", "pdf", "png", "csv", "txt"):
        shutil.copyfile(ROOT / "figures" / f"{stem}.{ext}", figures / f"{stem}.{ext}")
        shutil.copyfile(ROOT / "figures" / f"{stem}.{ext}", figures / "en" / f"{stem}.{ext}")
    sidecar = figures / "en" / f"{stem}.txt"
    lines = sidecar.read_text(encoding="utf-8").splitlines()
    lines = ["title: Co-construction index of the five experiments" if l.startswith("title: ") else l
             for l in lines]
    sidecar.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = build_site(tmp_path / "site", [], figures=figures)
    english = (out / "figures.en.html").read_text(encoding="utf-8")
    assert "Co-construction index of the five experiments" in english
    assert f'src="figures/en/{stem}.svg"' in english and (out / "figures" / "en" / f"{stem}.svg").is_file()
    assert "Co-construction index" not in (out / "figures.html").read_text(encoding="utf-8")


def test_the_home_page_says_the_notebooks_were_not_run(site):
    # built from files: stored outputs (tests/test_reproduce.py checks the executed wording)
    assert "résultats enregistrés dans leurs fichiers" in (site / "index.html").read_text(encoding="utf-8")
    assert "results stored in their files" in (site / "index.en.html").read_text(encoding="utf-8")


def test_site_command_builds_from_stored_outputs(tmp_path):
    from click.testing import CliRunner

    from coanalysis.cli import main

    result = CliRunner().invoke(main, ["site", "--out", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "s" / "notebooks").iterdir()) == \
        sorted(f"{p.stem}.html" for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    missing = CliRunner().invoke(main, ["site", "--out", str(tmp_path / "s")], env={"COANALYSIS_ROOT": str(tmp_path)})
    assert missing.exit_code == 2 and "ERREUR / ERROR" in missing.output


def test_tex_becomes_mathml_and_bad_tex_is_named():
    mathml = tex_to_mathml(r"\frac{N_h}{n_h}", display=True)
    assert mathml.startswith("<math") and "<mfrac>" in mathml and 'display="block"' in mathml
    with pytest.raises(CoanalysisError, match=r"\\frac\{"):
        tex_to_mathml(r"\frac{")


def test_a_folder_the_site_did_not_make_is_not_cleared(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(CoanalysisError, match="not a coanalysis site folder"):
        build_site(mine, [], figures=ROOT / "figures")
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert not (mine / MARKER).exists()


# ---------------------------------------------------------------------------------------------
# In the browser


@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if not (chromium and driver_path):
        pytest.fail(f"the site's browser test needs chromium and chromedriver (found: chromium={chromium}, "
                    f"chromedriver={driver_path}); {INSTALL}")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.fail("the site's browser test needs Selenium: pip install -r requirements/lock.txt "
                    "(or pip install -e '.[dev]')")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1600", "--host-resolver-rules=MAP * ~NOTFOUND",
                "--no-first-run", "--disable-background-networking", "--disable-extensions"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def _open(driver, path: Path) -> dict:
    """Load ``path``; return its console messages and the URLs it requested."""
    driver.get_log("browser"), driver.get_log("performance")  # drop what came before
    driver.get(path.as_uri())
    assert driver.execute_script("return document.readyState") == "complete"
    console = driver.get_log("browser")
    requests = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requests.append(message["params"]["request"]["url"])
    return {"console": console, "requests": requests}


def _local(url: str) -> bool:
    return url.startswith(("file://", "data:", "about:blank")) or url.startswith("#")


def test_every_page_loads_offline_with_no_console_error(site, browser):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) == 6 + len(NOTEBOOKS)
    for page in pages:
        seen = _open(browser, page)
        name = str(page.relative_to(site))
        assert browser.title.strip(), f"{name}: no title"
        # the navigation is there as links, and the site's stylesheet applies to it
        nav = browser.execute_script("const n = document.querySelector('nav.site-nav'); "
                                     "return n && [n.querySelectorAll('a').length, getComputedStyle(n).display]")
        assert nav == [5, "flex"], f"{name}: navigation {nav}"
        assert [e["message"] for e in seen["console"] if e["level"] in ("SEVERE", "WARNING")] == [], name
        assert seen["requests"], f"{name}: the performance log recorded no request"
        assert [u for u in seen["requests"] if not _local(u)] == [], f"{name}: requests left file://"
        resources = browser.execute_script(
            "return [...document.querySelectorAll('[src], link[href]')]"
            ".map(e => e.getAttribute('src') || e.getAttribute('href'))")
        assert [u for u in resources if re.match(r"^(https?:)?//", u)] == [], name
        broken = browser.execute_script(
            "return [...document.images].filter(i => !(i.complete && i.naturalWidth > 0))"
            ".map(i => i.getAttribute('src').slice(0, 60))")
        assert broken == [], f"{name}: images not loaded"
        for href in browser.execute_script("return [...document.links].map(a => a.href)"):
            if href.startswith("file://"):
                target = Path(unquote(urlparse(href).path))
                assert target.is_file(), f"{name}: link to a missing file {target}"


def test_images_are_drawn(site, browser):
    _open(browser, site / "figures.html")
    n = browser.execute_script("return document.images.length")
    assert n == len(list((ROOT / "figures").glob("*.txt")))
    _open(browser, site / MATH_PAGE)
    # the notebook's plots are inline data: PNGs; each must decode
    sizes = browser.execute_script("return [...document.images].map(i => i.naturalWidth)")
    assert sizes and min(sizes) > 0


def test_math_is_rendered_not_left_as_tex(site, browser):
    for name in (MATH_PAGE, "notebooks/05_bien_etre_agents.html"):
        _open(browser, site / name)
        text = browser.execute_script(
            "return [...document.querySelectorAll('.jp-RenderedMarkdown')].map(e => e.innerText).join('\\n')")
        assert "N" in text and RAW_TEX.findall(text) == [], name
        # laid out as math: the subscript h of N_h sits lower than its base N, which only
        # a MathML layout does (unrendered markup would run "Nh" on one baseline)
        box = browser.execute_script("""
            const sub = document.querySelector('math msub');
            const [base, index] = [sub.children[0], sub.children[1]];
            return [base.getBoundingClientRect().bottom, index.getBoundingClientRect().bottom,
                    getComputedStyle(document.querySelector('math')).display];""")
        assert box[1] > box[0], f"{name}: subscript not lowered ({box})"
        # MathML Core's own display type: the engine lays the element out as math
        assert box[2] == "math", name


def test_language_switch(site, browser):
    for french, english in (p.values() for p in PAGES.values()):
        _open(browser, site / french)
        assert browser.execute_script("return document.documentElement.lang") == "fr"
        browser.find_element("css selector", "a.lang-switch").click()
        assert browser.current_url.endswith("/" + english)
        assert browser.execute_script("return document.documentElement.lang") == "en"
        browser.find_element("css selector", "a.lang-switch").click()
        assert browser.current_url.endswith("/" + french)
    _open(browser, site / MATH_PAGE)
    browser.find_element("css selector", "a.lang-switch").click()
    assert browser.current_url.endswith("/" + PAGES["home"]["en"])


def test_screenshots_are_kept_as_artefacts(site, browser):
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    for page, shot in (("index.html", "site_home.png"), (MATH_PAGE, "site_notebook_04.png")):
        _open(browser, site / page)
        browser.execute_script("const m = document.querySelector('math'); "
                               "if (m) m.scrollIntoView({block: 'center'});")  # the notebook's formula
        assert browser.save_screenshot(str(ARTEFACTS / shot))
        assert (ARTEFACTS / shot).stat().st_size > 10_000  # a blank 1280×1600 PNG is ~5 kB
