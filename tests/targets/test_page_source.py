# ruff: noqa: E501  (XML literals read best on one line)
"""ViewTree.from_page_source: Appium / XCUITest page sources read as their JSON snapshots."""

import re
from pathlib import Path

import numpy as np
import pytest

from gestcore import SnapshotError, ViewTree, parse_target

DATA = Path(__file__).parents[1] / "data" / "page_sources"

# Every special character of target escaping in one identifier.
SPECIAL = "a\\b[c]>d:e.f(g)"
SPECIAL_XML = "a\\b[c]&gt;d:e.f(g)"  # '>' may be written as an entity or as it is

PAGE = f"""<?xml version="1.0" encoding="UTF-8"?>
<AppiumAUT>
  <XCUIElementTypeApplication type="XCUIElementTypeApplication" name="Shop" label="Shop" enabled="true" visible="true" x="0" y="0" width="390" height="844">
    <XCUIElementTypeWindow type="XCUIElementTypeWindow" enabled="true" visible="true" x="0" y="0" width="390" height="844">
      <XCUIElementTypeNavigationBar type="XCUIElementTypeNavigationBar" name="Cart" enabled="true" visible="true" x="0" y="47" width="390" height="44">
        <XCUIElementTypeButton type="XCUIElementTypeButton" name="{SPECIAL_XML}" label="Back" enabled="true" visible="true" x="0" y="47" width="80" height="44"/>
      </XCUIElementTypeNavigationBar>
      <XCUIElementTypeTable type="XCUIElementTypeTable" enabled="true" visible="true" x="0" y="91" width="390" height="753">
        <XCUIElementTypeCell type="XCUIElementTypeCell" name="item 1" enabled="true" visible="true" x="0" y="91" width="390" height="60">
          <XCUIElementTypeStaticText type="XCUIElementTypeStaticText" value="Shoes" name="" enabled="true" visible="true" x="16" y="100" width="200" height="20">Shoes</XCUIElementTypeStaticText>
          <XCUIElementTypeButton type="XCUIElementTypeButton" name="remove" enabled="false" visible="true" x="330" y="100" width="44" height="44"/>
        </XCUIElementTypeCell>
        <XCUIElementTypeCell type="XCUIElementTypeCell" enabled="true" visible="true" x="0" y="151" width="390" height="60">
          <XCUIElementTypeStaticText type="XCUIElementTypeStaticText" enabled="true" visible="true" x="16" y="160" width="200.5" height="20.25"/>
          <XCUIElementTypeImage type="XCUIElementTypeImage" name="badge &amp; &lt;new&gt;" enabled="true" visible="false" x="300" y="160" width="20" height="20"/>
        </XCUIElementTypeCell>
      </XCUIElementTypeTable>
      <XCUIElementTypeOther type="XCUIElementTypeOther" enabled="true" visible="true"/>
    </XCUIElementTypeWindow>
  </XCUIElementTypeApplication>
</AppiumAUT>
"""

# The same views as a JSON snapshot, in UIKit's words.
SNAPSHOT = {
    "class": "XCUIElementTypeApplication",
    "accessibilityIdentifier": "Shop",
    "frame": [0, 0, 390, 844],
    "subviews": [
        {
            "class": "XCUIElementTypeWindow",
            "frame": [0, 0, 390, 844],
            "subviews": [
                {
                    "class": "XCUIElementTypeNavigationBar",
                    "accessibilityIdentifier": "Cart",
                    "frame": [0, 47, 390, 44],
                    "subviews": [
                        {
                            "class": "XCUIElementTypeButton",
                            "accessibilityIdentifier": SPECIAL,
                            "frame": [0, 47, 80, 44],
                        }
                    ],
                },
                {
                    "class": "XCUIElementTypeTable",
                    "frame": [0, 91, 390, 753],
                    "subviews": [
                        {
                            "class": "XCUIElementTypeCell",
                            "accessibilityIdentifier": "item 1",
                            "frame": [0, 91, 390, 60],
                            "subviews": [
                                {"class": "XCUIElementTypeStaticText", "frame": [16, 100, 200, 20]},
                                {
                                    "class": "XCUIElementTypeButton",
                                    "accessibilityIdentifier": "remove",
                                    "frame": [330, 100, 44, 44],
                                    "userInteractionEnabled": False,
                                },
                            ],
                        },
                        {
                            "class": "XCUIElementTypeCell",
                            "frame": [0, 151, 390, 60],
                            "subviews": [
                                {
                                    "class": "XCUIElementTypeStaticText",
                                    "frame": [16, 160, 200.5, 20.25],
                                },
                                {
                                    "class": "XCUIElementTypeImage",
                                    "accessibilityIdentifier": "badge & <new>",
                                    "frame": [300, 160, 20, 20],
                                    "hidden": True,
                                },
                            ],
                        },
                    ],
                },
                {"class": "XCUIElementTypeOther"},
            ],
        }
    ],
}


def test_a_page_source_is_its_json_snapshot(backend):
    tree = ViewTree.from_page_source(PAGE, backend=backend)
    expected = ViewTree.from_dict(SNAPSHOT, backend=backend)
    assert tree == expected
    assert tree.to_dict() == expected.to_dict()
    assert tree.targets() == expected.targets()
    assert len(tree) == 12


def test_targets_of_a_page_source(backend):
    tree = ViewTree.from_page_source(PAGE, backend=backend)
    targets = tree.targets()
    back = targets[3]
    assert back == "XCUIElementTypeButton[ai:a\\\\b\\[c\\]\\>d\\:e\\.f\\(g\\)]"
    assert parse_target(back).segments[-1].value == SPECIAL
    assert tree.resolve(back).tolist() == [3]
    # the second cell has no name: a long eq(n) target through the table
    assert targets[9] == (
        "[root]>XCUIElementTypeWindow:eq(0)>XCUIElementTypeTable:eq(0)"
        ">XCUIElementTypeCell:eq(1)>XCUIElementTypeStaticText:eq(0)"
    )
    assert targets[10] == "XCUIElementTypeImage[ai:badge & <new\\>]"


def test_hidden_and_disabled_elements_are_skipped_by_hit_tests(backend):
    tree = ViewTree.from_page_source(PAGE, backend=backend)
    assert tree.hidden.tolist() == [False] * 10 + [True, False]
    assert tree.interaction.tolist() == [True] * 7 + [False] + [True] * 4
    # the disabled "remove" button is skipped: the touch lands on its cell
    assert tree.hit_test(350.0, 120.0) == 5
    # the hidden badge is skipped: its cell
    assert tree.hit_test(310.0, 170.0) == 8
    assert tree.hit_test(20.0, 60.0) == 3


def test_without_the_appium_wrapper_and_from_bytes_or_files(tmp_path, backend):
    bare = PAGE.replace("<AppiumAUT>\n", "").replace("</AppiumAUT>\n", "")
    tree = ViewTree.from_page_source(bare, backend=backend)
    assert tree == ViewTree.from_page_source(PAGE, backend=backend)
    assert ViewTree.from_page_source(PAGE.encode(), backend=backend) == tree
    path = tmp_path / "source.xml"
    path.write_text(PAGE)
    assert ViewTree.from_page_source(path, backend=backend) == tree
    assert ViewTree.from_page_source(str(path), backend=backend) == tree
    utf16 = PAGE.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    assert ViewTree.from_page_source(utf16, backend=backend) == tree
    # text whose declaration names another encoding: the text is what counts
    assert (
        ViewTree.from_page_source("\ufeff" + PAGE.replace("UTF-8", "UTF-16"), backend=backend)
        == tree
    )
    assert ViewTree.from_page_source("\n  " + bare.split("?>", 1)[1], backend=backend) == tree


def _error(xml: str) -> SnapshotError:
    with pytest.raises(SnapshotError) as info:
        ViewTree.from_page_source(xml)
    return info.value


APP = (
    '<XCUIElementTypeApplication x="0" y="0" width="10" height="10">{}</XCUIElementTypeApplication>'
)


@pytest.mark.parametrize(
    ("xml", "path", "message"),
    [
        (
            APP.format(
                '<A x="1" y="1" width="1" height="1"/><A x="1" y="1" width="-1" height="1"/>'
            ),
            "/XCUIElementTypeApplication/A[2]/@width",
            "must be >= 0, got '-1'",
        ),
        (
            APP.format('<A/><B><A/><A x="1" y="2" width="3"/></B>'),
            "/XCUIElementTypeApplication/B[1]/A[2]/@height",
            "missing (x, y, width and height go together)",
        ),
        (
            APP.format('<A x="one" y="1" width="1" height="1"/>'),
            "/XCUIElementTypeApplication/A[1]/@x",
            "expected a number, got 'one'",
        ),
        (
            APP.format('<A x="nan" y="1" width="1" height="1"/>'),
            "/XCUIElementTypeApplication/A[1]/@x",
            "expected a finite number, got 'nan'",
        ),
        (
            "<AppiumAUT>" + APP.format('<A visible="yes"/>') + "</AppiumAUT>",
            "/AppiumAUT/XCUIElementTypeApplication/A[1]/@visible",
            "expected 'true' or 'false', got 'yes'",
        ),
        (
            APP.format('<A enabled="0"/>'),
            "/XCUIElementTypeApplication/A[1]/@enabled",
            "expected 'true' or 'false', got '0'",
        ),
        (
            '<hierarchy rotation="0"><node class="android.widget.FrameLayout"/></hierarchy>',
            "/hierarchy",
            "the root must be <XCUIElementTypeApplication> (an iOS page source), got <hierarchy>",
        ),
        (
            "<AppiumAUT>" + APP.format("") + APP.format("") + "</AppiumAUT>",
            "/AppiumAUT",
            "holds more than one element (<XCUIElementTypeApplication> after the app)",
        ),
        ("<AppiumAUT></AppiumAUT>", "xml", "no <XCUIElementTypeApplication> element"),
    ],
)
def test_errors_name_the_element_by_its_xpath(xml, path, message):
    error = _error(xml)
    assert error.path == path
    assert str(error) == f"{path}: {message}"


def test_malformed_xml_names_line_and_column():
    error = _error("<XCUIElementTypeApplication>\n  <A></B>\n</XCUIElementTypeApplication>")
    assert str(error) == "xml: malformed XML: mismatched tag: line 2, column 7"
    assert _error("").path == "xml"
    assert "undefined entity" in str(_error(APP.format('<A name="&nope;"/>')))


def test_entities_cannot_expand():
    laughs = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
        + APP.format('<A name="&lol2;"/>')
    )
    error = _error(laughs)
    assert str(error) == "xml: document type declarations (DTDs) are refused"
    external = '<!DOCTYPE a SYSTEM "http://example.invalid/x.dtd">' + APP.format("")
    assert _error(external).path == "xml"


def test_wrong_source_types():
    with pytest.raises(TypeError, match="expected XML text, bytes or a path, got int"):
        ViewTree.from_page_source(3)
    with pytest.raises(FileNotFoundError):
        ViewTree.from_page_source("no-such-file.xml")


def test_a_real_ios_settings_page_source(backend):
    text = (DATA / "ios_settings_top.xml").read_text()
    tree = ViewTree.from_page_source(DATA / "ios_settings_top.xml", backend=backend)
    elements = re.findall(r"<(XCUIElementType\w+)", text)
    assert tree.classes == elements  # document order is pre-order
    assert int(tree.hidden.sum()) == text.count('visible="false"')
    assert int((~tree.interaction).sum()) == text.count('enabled="false"')
    assert tree.frame[0].tolist() == [0.0, 0.0, 390.0, 844.0]
    cells = [i for i, c in enumerate(tree.classes) if c == "XCUIElementTypeCell"]
    assert len(cells) == text.count("<XCUIElementTypeCell")
    assert all(tree.classes[tree.parent[i]] == "XCUIElementTypeTable" for i in cells)
    targets = tree.targets()
    account = targets[tree.classes.index("XCUIElementTypeStaticText", cells[0])]
    assert account == "XCUIElementTypeStaticText[ai:APPLE_ACCOUNT]"
    # a tap on "General" lands on its label, inside its cell
    general = targets[tree.hit_test(90.0, 270.0)]
    assert general == "XCUIElementTypeStaticText[ai:General]"
    # the round trip through the JSON words gives the same tree
    assert ViewTree.from_dict(tree.to_dict(), backend=backend) == tree
    # chevrons are disabled: a tap on one goes to the cell underneath
    chevron = tree.hit_test(364.0, 270.0)
    assert tree.classes[chevron] == "XCUIElementTypeCell"


def test_backends_agree(compiled_backend):
    ref = ViewTree.from_page_source(DATA / "ios_settings_top.xml", backend="python")
    got = ViewTree.from_page_source(DATA / "ios_settings_top.xml", backend=compiled_backend)
    assert got == ref and got.targets() == ref.targets()
    assert np.array_equal(got.reliable, ref.reliable)


def test_messages_stay_short_on_any_document():
    deep = (
        "<XCUIElementTypeApplication>"
        + "<A>" * 5000
        + '<B x="' + "9" * 5000 + 'q" y="1" width="1" height="1"/>'
        + "</A>" * 5000
        + "</XCUIElementTypeApplication>"
    )  # fmt: skip
    error = _error(deep)
    assert len(str(error)) < 300
    assert error.path.startswith("/XCUIElementTypeApplication/A[1]/A[1]/A[1]/A[1]/A[1]/.../")
    assert error.path.endswith("/A[1]/B[1]/@x")
    assert "expected a number, got '99999" in str(error)
    wide = "<" + "W" * 5000 + "/>"
    assert len(str(_error(wide))) < 300
