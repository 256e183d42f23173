"""Hypothesis strategies for view-hierarchy snapshots with adversarial names.

Kept here because gestcore/testing/strategies.py does not exist yet; it can
move there as ``view_trees()`` unchanged.
"""

from __future__ import annotations

from hypothesis import strategies as st

# Small pools force collisions (same class, same identifier) and every
# special character of the grammar appears somewhere.
CLASSES = ["UIView", "UIButton", "MyApp.Cell", "A[b]>c", "Ü\\:eq(0)", "(x)"]
IDENTIFIERS = ["", "a", "b", "on.sale", "[ai:x]", "\\", ">", ":eq(1)", "ñ😀", "a\\.b", " "]
VCS = [None, None, "SalesViewController", "MyApp.SalesViewController", "V[c]"]
TAGS = [0, 0, 0, 1, -1, 444, 223, 2**63 - 1, -(2**63)]

names = st.one_of(st.sampled_from(IDENTIFIERS), st.text(max_size=6))


@st.composite
def view_trees(draw, max_views: int = 30) -> dict:
    """A snapshot dict (the window) of 1..max_views views.

    Frames are small integer rectangles on a 0..40 grid so that random
    points hit overlapping views; flags switch views off for hit testing.
    """
    n = draw(st.integers(1, max_views))
    views = []
    for i in range(n):
        v: dict = {"class": draw(st.sampled_from(CLASSES))}
        if i > 0 and draw(st.booleans()):
            v["accessibilityIdentifier"] = draw(names)
        if draw(st.booleans()):
            v["restorationIdentifier"] = draw(names)
        tag = draw(st.sampled_from(TAGS))
        if tag:
            v["tag"] = tag
        vc = draw(st.sampled_from(VCS))
        if vc is not None:
            v["viewController"] = vc
        if i == 0 and draw(st.booleans()):
            pass  # a window without a frame is the whole screen
        elif draw(st.integers(0, 9)) > 0:
            x, y = draw(st.integers(0, 30)), draw(st.integers(0, 30))
            v["frame"] = [x, y, draw(st.integers(0, 20)), draw(st.integers(0, 20))]
        if draw(st.integers(0, 9)) == 0:
            v["hidden"] = True
        if draw(st.integers(0, 9)) == 0:
            v["alpha"] = draw(st.sampled_from([0.0, 0.005, 0.01, 0.5]))
        if draw(st.integers(0, 9)) == 0:
            v["userInteractionEnabled"] = False
        if draw(st.integers(0, 4)) == 0:
            v["responsive"] = True
        if i > 0:
            # Parents among earlier views: any shape, from chains to fans.
            parent = draw(st.integers(max(0, i - 1 - draw(st.integers(0, i - 1))), i - 1))
            views[parent].setdefault("subviews", []).append(v)
        views.append(v)
    return views[0]
