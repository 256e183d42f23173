"""Fuzz ``parse_target`` and ``ViewTree.resolve``: only ``TargetSyntaxError``, every
parsed target prints back as its text, and every backend resolves alike."""

from _harness import BACKENDS, Finding, agree, instrumented, main, outcome

with instrumented():
    from gestcore import TargetSyntaxError, ViewTree, parse_target


# Names that need escaping, a tag, an ai, an ri and same-class siblings.
SNAPSHOT = {
    "class": "UIWindow",
    "subviews": [
        {
            "class": "UIView",
            "restorationIdentifier": "dichotomy",
            "viewController": "MyApp.SalesViewController",
            "subviews": [
                {"class": "UIButton", "accessibilityIdentifier": "on_sale"},
                {
                    "class": "UIView",
                    "tag": 444,
                    "subviews": [{"class": "UIView"}, {"class": "UIView"}],
                },
                {"class": "My.Cell(1)", "accessibilityIdentifier": "a:b[c]>d\\e"},
            ],
        },
        {"class": "UIView", "tag": -(2**63)},
    ],
}
TREES = {b: ViewTree.from_dict(SNAPSHOT, backend=b) for b in BACKENDS}
ALLOWED = (TargetSyntaxError,)


def test_one_input(data: bytes) -> None:
    text = data.decode("utf-8", "surrogateescape")  # lone surrogates included
    parsed = outcome(lambda: parse_target(text), ALLOWED)
    if parsed[0] == "ok" and str(parsed[1]) != text:
        raise Finding(f"{text!r:.200} parses but prints back as {str(parsed[1])!r:.200}")
    agree({b: outcome(lambda b=b: TREES[b].resolve(text).tolist(), ALLOWED) for b in BACKENDS})


if __name__ == "__main__":
    main(test_one_input)
