"""How the browser suite's audit groups the pages into loads (e2e/site_pages.py)."""

from e2e.site_pages import LOADS, SITE_PAGES, SitePage, by_load

LESSON = SitePage("lesson", "A lesson", "/methods/put")
SENT = SitePage("sent", "After Send", "/methods/put", press="Send", shows="sent")
TWICE = SitePage("twice", "After Send twice", "/methods/put", press="Send twice", shows="two")
MISSING = SitePage("missing", "A 404", "/methods/put", 404)
ALONE = SitePage("alone", "A button's page", "/your-turn", press="Send it", shows="done")


def test_pressed_states_follow_their_page_in_order() -> None:
    assert by_load([LESSON, SENT, ALONE, TWICE]) == ((LESSON, SENT, TWICE), (ALONE,))


def test_a_state_never_follows_a_page_with_another_status() -> None:
    pressed_on_404 = SitePage("pressed", "After Send", "/methods/put", 404, "Send", "sent")
    assert by_load([LESSON, MISSING, pressed_on_404]) == ((LESSON,), (MISSING, pressed_on_404))


def test_a_state_before_its_page_is_a_load_of_its_own() -> None:
    assert by_load([SENT, LESSON]) == ((SENT,), (LESSON,))


def test_every_page_is_audited_once() -> None:
    audited = [state for load in LOADS for state in load]
    assert sorted(audited, key=SITE_PAGES.index) == list(SITE_PAGES)
    assert len(LOADS) < len(SITE_PAGES)
