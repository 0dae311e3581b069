"""How the browser suite words axe-core's violations (e2e/accessibility.py)."""

from e2e.accessibility import worded

FAILURE_SUMMARY = "Fix any of the following:\n  Element has insufficient color contrast"

# One violation as axe-core 4 reports it (trimmed to the fields the report reads).
LOW_CONTRAST = {
    "id": "color-contrast",
    "impact": "serious",
    "help": "Elements must meet minimum color contrast ratio thresholds",
    "helpUrl": "https://dequeuniversity.com/rules/axe/4.14/color-contrast",
    "nodes": [
        {
            "target": [".lead"],
            "html": '<p class="lead">Welcome</p>',
            "failureSummary": FAILURE_SUMMARY,
        },
        {
            "target": ["#cors-frame", "p"],
            "html": "<p>In a frame</p>",
            "failureSummary": FAILURE_SUMMARY,
        },
    ],
}


def test_a_violation_names_its_rule_each_element_and_why() -> None:
    lines = worded([LOW_CONTRAST]).splitlines()

    assert lines[0] == (
        "color-contrast (serious): Elements must meet minimum color contrast ratio thresholds "
        "<https://dequeuniversity.com/rules/axe/4.14/color-contrast>"
    )
    assert lines[1:4] == [
        '  .lead: <p class="lead">Welcome</p>',
        "    Fix any of the following:",
        "      Element has insufficient color contrast",
    ]
    assert lines[4] == "  #cors-frame → p: <p>In a frame</p>"  # the frame, then the element


def test_no_violations_word_nothing() -> None:
    assert worded([]) == ""
