"""Snapshot cases shared by the snapshot tests (tests/ directories are not packages)."""

# A view's wrong value and the reference's error message for it, as
# ``ViewTree.from_dict`` and ``ViewTree.from_json`` report it.
WRONG_TYPES = [
    ({"tag": 12.0}, "subviews[0].tag: expected an integer, got 12.0"),
    ({"tag": True}, "subviews[0].tag: expected an integer, got true"),
    ({"tag": 2**63}, "subviews[0].tag: integer 9223372036854775808 does not fit in 64 bits"),
    ({"class": None}, "subviews[0]: missing 'class'"),
    ({"class": ""}, 'subviews[0].class: expected a non-empty string, got ""'),
    ({"class": 3}, "subviews[0].class: expected a non-empty string, got 3"),
    (
        {"accessibilityIdentifier": 5},
        "subviews[0].accessibilityIdentifier: expected a string, got 5",
    ),
    (
        {"frame": [0, 0, 1]},
        "subviews[0].frame: expected [x, y, width, height] numbers, got [0, 0, 1]",
    ),
    (
        {"frame": [0, 0, -1, 1]},
        "subviews[0].frame: width and height must be >= 0, got [0, 0, -1, 1]",
    ),
    (
        {"frame": [0, 0, float("inf"), 1]},
        "subviews[0].frame: expected finite numbers, got [0, 0, Infinity, 1]",
    ),
    ({"hidden": 1}, "subviews[0].hidden: expected true or false, got 1"),
    ({"alpha": "1"}, 'subviews[0].alpha: expected a finite number, got "1"'),
    ({"subviews": {}}, "subviews[0].subviews: expected a list, got {}"),
    ({"subviews": [3]}, "subviews[0].subviews[0]: expected a view object, got 3"),
]
