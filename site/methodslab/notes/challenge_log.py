"""What the server saw each visitor do towards the challenges, in the notes database.

A challenge is met by requests the server really answered, never by the client
saying so: pages/challenges.py looks at each answer as it leaves and, when it is a
step of a challenge, writes the step here for the visitor's sandbox. A challenge of
two steps (a 412, then a conditional write that succeeds) is met only when its
first step is already recorded. The rows live with the sandbox and are deleted
with it (ON DELETE CASCADE), and each sandbox keeps at most MAX_STEPS_PER_SANDBOX
steps besides the challenges it has met.
"""

import time
from collections.abc import Callable

from methodslab.notes.databases import Connection
from methodslab.notes.store import NoteStore

#: The step that says a challenge is met; its row is kept for as long as the sandbox.
MET = "met"
#: Most steps under way kept for one sandbox; past it the oldest go first.
MAX_STEPS_PER_SANDBOX = 40
#: Longest step or detail kept (a step names a note id, at most 64 characters).
MAX_TEXT_LENGTH = 200


class ChallengeLog:
    """Each sandbox's challenge steps, written in the sandbox's own transactions."""

    def __init__(self, store: NoteStore, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.clock = clock

    def record(
        self,
        sandbox: str,
        network: str,
        challenge: str,
        step: str,
        detail: str,
        after: str | None = None,
    ) -> bool:
        """Record ``step`` of ``challenge``, if ``after`` (a step) was recorded before it.

        Nothing is written for a challenge already met or a step already recorded.
        Return whether the step was written.
        """
        now = self.clock()
        step, detail = step[:MAX_TEXT_LENGTH], detail[:MAX_TEXT_LENGTH]

        def write(db: Connection) -> bool:
            # The sandbox's row is locked by now (store._touch): the read and the
            # write below are not split by another request of the same visitor.
            known = {
                found
                for (found,) in db.execute(
                    "SELECT step FROM challenge_events WHERE sandbox = ? AND challenge = ? "
                    "AND step IN (?, ?, ?)",
                    (sandbox, challenge, MET, step, after or MET),
                ).fetchall()
            }
            if MET in known or step in known or (after is not None and after not in known):
                return False
            (count,) = db.execute(
                "SELECT count(*) FROM challenge_events WHERE sandbox = ? AND step <> ?",
                (sandbox, MET),
            ).fetchone()
            if step != MET and count >= MAX_STEPS_PER_SANDBOX:
                db.execute(
                    "DELETE FROM challenge_events WHERE rowid IN (SELECT rowid FROM "
                    "challenge_events WHERE sandbox = ? AND step <> ? ORDER BY rowid LIMIT ?)",
                    (sandbox, MET, count - MAX_STEPS_PER_SANDBOX + 1),
                )
            db.execute(
                "INSERT INTO challenge_events (sandbox, challenge, step, detail, at) "
                "VALUES (?, ?, ?, ?, ?)",
                (sandbox, challenge, step, detail, now),
            )
            return True

        return self.store.write_in_sandbox(sandbox, network, write)

    def met(self, sandbox: str) -> dict[str, str]:
        """Return the challenges ``sandbox`` has met, each with the answer that met it."""
        with self.store.database.reading() as db:
            rows = db.execute(
                "SELECT challenge, detail FROM challenge_events WHERE sandbox = ? AND step = ? "
                "ORDER BY rowid",
                (sandbox, MET),
            ).fetchall()
        return {challenge: detail for challenge, detail in rows}
