"""Twenty parallel registrations of one address: one account, the same answer to everyone."""

import threading
import urllib.error
import urllib.parse
import urllib.request

from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_parallel_registrations_of_one_address(live_server):
    body = urllib.parse.urlencode(
        {
            "name": "Racing Person",
            "email": "race@example.org",
            "password": "river stones at dusk",
            "confirm": "river stones at dusk",
            "group": "civil_society",
            "country": "KE",
        }
    ).encode()
    opener = urllib.request.build_opener(NoRedirect)
    barrier = threading.Barrier(20)
    statuses = []

    def register():
        barrier.wait()
        try:
            with opener.open(live_server + "/register", data=body, timeout=30) as response:
                statuses.append(response.status)
        except urllib.error.HTTPError as error:
            statuses.append((error.code, error.headers.get("Location")))

    threads = [threading.Thread(target=register) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [(302, "/login")] * 20
    db.session.remove()
    assert db.session.scalar(select(func.count(User.id))) == 1
