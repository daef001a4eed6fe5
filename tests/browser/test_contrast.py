"""WCAG AA in a real browser: every visible piece of text on the key pages has enough
contrast against what is really behind it, and the keyboard focus can be seen and
follows the page (skip link first)."""

import pytest

from tests.browser.conftest import PHONE, login

pytestmark = pytest.mark.browser

STAFF_PAGES = [
    "/quan-ly/",
    "/quan-ly/ung-ho/",
    "/quan-ly/ung-ho/nhap/",
    "/quan-ly/ho-gia-dinh/",
    "/quan-ly/ho-gia-dinh/?sap_xep=-nhu_cau",
    "/quan-ly/bao-cao/",
    "/quan-ly/giam-sat/nhat-ky/",
]
PUBLIC_PAGES = ["/dang-nhap/", "/", "/cong-khai/2024/ung-ho/", "/tra-cuu/"]

# For each element with its own text (or a form control showing a value): its colour,
# the colour behind it (own and ancestors' backgrounds, blended, white at the root), the
# ratio, and the WCAG threshold (3 for large text: ≥ 24 px, or bold and ≥ 18,66 px).
CONTRAST_JS = r"""
() => {
  function parse(value) {
    let m = value.match(/rgba?\(([^)]+)\)/);
    if (m) {
      const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    }
    m = value.match(/color\(srgb ([^)]+)\)/);
    if (m) {
      const p = m[1].split(/[ \/]+/).filter(Boolean).map(Number);
      return [p[0] * 255, p[1] * 255, p[2] * 255, p.length > 3 ? p[3] : 1];
    }
    return null;
  }
  function over(top, bottom) {  // alpha compositing of an RGBA colour over an opaque one
    const a = top[3];
    return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]);
  }
  function luminance(c) {
    const [r, g, b] = c.slice(0, 3).map(v => {
      v = v / 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }
  function ratio(a, b) {
    const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (l1 + 0.05) / (l2 + 0.05);
  }
  function background(el) {
    // Layers from the element up; blended from the root down onto white.
    const layers = [];
    let opacity = 1;
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.backgroundImage && style.backgroundImage !== "none"
          && !style.backgroundImage.startsWith("url(\"data:image/svg")) {
        return {image: true};
      }
      opacity *= parseFloat(style.opacity || "1");
      const colour = parse(style.backgroundColor);
      if (colour && colour[3] > 0) {
        layers.push(colour);
        if (colour[3] >= 1) break;
      }
    }
    let result = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) result = over(layers[i], result);
    return {colour: result, opacity};
  }
  function visible(el) {
    const hidden = "[aria-hidden=true], [hidden], .visually-hidden, "
      + ".visually-hidden-focusable:not(:focus)";
    if (el.closest(hidden)) return false;
    const style = getComputedStyle(el);
    if (style.visibility !== "visible" || style.display === "none") return false;
    const rect = el.getBoundingClientRect();
    return rect.width > 1 && rect.height > 1;
  }
  function ownText(el) {
    if (["INPUT", "SELECT", "TEXTAREA"].includes(el.tagName)) {
      if (el.type === "hidden" || el.type === "checkbox" || el.type === "radio") return "";
      return el.tagName === "SELECT" ? (el.selectedOptions[0] || {}).text || "" : el.value;
    }
    let text = "";
    for (const child of el.childNodes) if (child.nodeType === 3) text += child.textContent;
    return text.trim();
  }
  const failures = [];
  let checked = 0;
  for (const el of document.body.querySelectorAll("*")) {
    if (["SCRIPT", "STYLE", "NOSCRIPT", "OPTION", "svg"].includes(el.tagName)) continue;
    const text = ownText(el);
    if (!text || !visible(el)) continue;
    // Disabled controls are exempt from the contrast criterion (WCAG 1.4.3).
    if (el.closest(":disabled, .disabled, [aria-disabled=true]")) continue;
    const style = getComputedStyle(el);
    const back = background(el);
    if (back.image) continue;  // text over a picture or gradient: judged by eye
    let colour = parse(style.color);
    if (!colour) continue;
    colour = over([colour[0], colour[1], colour[2], colour[3] * back.opacity], back.colour);
    const size = parseFloat(style.fontSize);
    const bold = parseInt(style.fontWeight, 10) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    const need = large ? 3 : 4.5;
    const got = ratio(colour, back.colour);
    checked++;
    if (got + 0.005 < need) {
      failures.push({
        text: text.slice(0, 40),
        tag: el.tagName.toLowerCase() + (typeof el.className === "string" && el.className
          ? "." + el.className.trim().split(/\s+/).join(".") : ""),
        ratio: Math.round(got * 100) / 100,
        need,
        color: style.color,
        background: "rgb(" + back.colour.slice(0, 3).map(Math.round).join(",") + ")",
      });
    }
  }
  return {checked, failures};
}
"""


def _check(page, url: str) -> list[str]:
    page.goto(page.base_url + url)
    page.wait_for_load_state("networkidle")
    result = page.evaluate(CONTRAST_JS)
    assert result["checked"] > 10, (url, "too little text was checked", result)
    return [
        f"{url}: «{f['text']}» {f['tag']} {f['ratio']} < {f['need']} "
        f"({f['color']} on {f['background']})"
        for f in result["failures"]
    ]


def test_key_pages_meet_wcag_aa_contrast(demo, new_page, screens):
    failures = []
    public = new_page()
    for url in PUBLIC_PAGES:
        failures += _check(public, url)
    phone = new_page(viewport=PHONE)
    for url in PUBLIC_PAGES[1:]:
        failures += _check(phone, url)
    staff = new_page()
    login(staff, "canbo")
    for url in STAFF_PAGES:
        failures += _check(staff, url)
        if "sap_xep" in url:
            screens.shot(staff, "danh-sach-sap-xep")
    # A form after a refused submission: error messages and invalid fields in red.
    staff.goto(staff.base_url + "/quan-ly/ung-ho/nhap/")
    staff.click("main button[type=submit]")
    staff.wait_for_load_state("networkidle")
    result = staff.evaluate(CONTRAST_JS)
    failures += [
        f"form with errors: «{f['text']}» {f['tag']} {f['ratio']} < {f['need']} "
        f"({f['color']} on {f['background']})"
        for f in result["failures"]
    ]
    # One line per kind of failure (the same menu fails on every page).
    kinds = {}
    for line in failures:
        kinds.setdefault(line.split("» ", 1)[1], line)
    assert not kinds, f"{len(failures)} failures:\n" + "\n".join(kinds.values())


def _focus_info(page) -> dict:
    return page.evaluate(
        """() => {
        const el = document.activeElement;
        const style = getComputedStyle(el);
        const rect = el.getBoundingClientRect();
        return {
          tag: el.tagName, text: (el.innerText || el.value || "").trim().slice(0, 40),
          href: el.getAttribute("href"),
          outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
          shadow: style.boxShadow !== "none",
          inViewport: rect.width > 0 && rect.height > 0,
          top: rect.top + window.scrollY,
        };
      }"""
    )


@pytest.mark.parametrize("url", ["/", "/tra-cuu/"])
def test_public_pages_start_with_a_skip_link_and_show_focus(demo, new_page, url):
    page = new_page()
    page.goto(page.base_url + url)
    page.keyboard.press("Tab")
    first = _focus_info(page)
    assert first["href"] == "#main" and first["inViewport"], first
    assert first["outline"] or first["shadow"], first


def test_staff_focus_is_visible_and_follows_the_page(demo, new_page):
    page = new_page()
    login(page, "canbo")
    page.goto(page.base_url + "/quan-ly/ho-gia-dinh/")
    page.keyboard.press("Tab")
    first = _focus_info(page)
    assert first["href"] == "#main" and first["inViewport"], first
    assert first["outline"] or first["shadow"], first
    # The skip link lands in the main content: the next Tab is inside <main>.
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")
    # Every stop of the first 40 Tab presses shows where the focus is.
    page.goto(page.base_url + "/quan-ly/ho-gia-dinh/")
    seen = []
    for _ in range(40):
        page.keyboard.press("Tab")
        info = _focus_info(page)
        seen.append(info)
        assert info["outline"] or info["shadow"], info
    # Navigation comes before the content, the filter before the table, and the
    # sortable headers before the rows (the order of reading).
    order = [i["text"] for i in seen]
    assert order.index("Lọc") < next(i for i, t in enumerate(order) if t.startswith("Chủ hộ"))
