"""Range requests: byte ranges of static files, and the Range fields RFC 9110 §14.2 ignores."""

import pytest
from flask.testing import FlaskClient

pytestmark = pytest.mark.one_app

FILE = "/static/style.css"


def test_a_byte_range_of_a_static_file_is_206_with_its_place_in_the_whole(
    client: FlaskClient,
) -> None:
    whole = client.get(FILE, headers={"Accept-Encoding": "identity"}).data
    for asked, start, end in (("bytes=0-9", 0, 9), ("BYTES=5-9", 5, 9), ("bytes=-5", -5, -1)):
        response = client.get(FILE, headers={"Range": asked})
        assert response.status_code == 206
        first = start % len(whole)
        assert response.headers["Content-Range"] == f"bytes {first}-{end % len(whole)}/{len(whole)}"
        assert response.data == whole[first : end % len(whole) + 1]
    # §15.5.17: no byte of the range is in the file.
    past = client.get(FILE, headers={"Range": f"bytes={len(whole)}-"})
    assert (past.status_code, past.headers["Content-Range"]) == (416, f"bytes */{len(whole)}")


@pytest.mark.parametrize(
    ("method", "asked"),
    [
        ("GET", "items=0-9"),  # "MUST ignore" a unit it does not understand (§14.2)
        ("HEAD", "bytes=0-9"),  # "MUST ignore" it with a method other than GET (§14.2)
        ("GET", "bytes=0-1, 5-6"),  # several: valid, but not served, so ignored (§14.2, §14.6)
    ],
)
def test_a_range_the_server_must_or_does_ignore_gets_the_whole_file(
    client: FlaskClient, method: str, asked: str
) -> None:
    response = client.open(FILE, method=method, headers={"Range": asked})
    assert response.status_code == 200
    assert "Content-Range" not in response.headers
    assert response.headers["Accept-Ranges"] == "bytes"
