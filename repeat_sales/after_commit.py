# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Per-customer rows shared by concurrent requests, written without conflicts.

Odoo runs a request in REPEATABLE READ: a row another transaction updated and
committed after the request's snapshot cannot be written (nor locked) by it;
PostgreSQL raises a serialization failure and Odoo replays the whole request.
Two confirmations of one customer's orders both write the customer's shared
rows (the stamp card, the figures), so the later one used to be replayed.

The parts writing such rows do it in two ways, with the same code:

- **now**, inside the request: ``attempt_now`` runs the write in a savepoint,
  taking the rows with ``NOWAIT`` first. It succeeds when no other transaction
  holds or changed them since the snapshot; then the rows are locked until the
  commit, so what the request read is still exact when it writes;
- **after commit** otherwise (the savepoint is rolled back, nothing is logged
  as an error): ``run_after_commit`` calls the same method again once the
  request has committed, on a fresh cursor in READ COMMITTED, where taking the
  rows waits for the other transaction and then sees what it committed.

The request itself never meets a serialization failure on these rows. Each
part keeps what a crash between the commit and the after-commit run leaves
behind, and its nightly step finishes it.
"""

import logging

from psycopg2 import errors

from odoo import api
from odoo.tools import SQL, mute_logger

_logger = logging.getLogger(__name__)

# The errors meaning "another transaction has these rows": try again later.
CONFLICTS = (
    errors.LockNotAvailable,
    errors.SerializationFailure,
    errors.UniqueViolation,
    errors.DeadlockDetected,
)
# Attempts of an after-commit run; in READ COMMITTED only a deadlock or two
# first inserts of one key at once make it fail, and the next attempt passes.
AFTER_COMMIT_TRIES = 5


def lock_rows(cr, table, ids, nowait=False):
    """``SELECT … FOR NO KEY UPDATE`` of rows of ``table`` (an ``SQL``
    identifier) in id order; with ``nowait``, fail at once on a held row."""
    if ids:
        cr.execute(
            SQL(
                "SELECT id FROM %s WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE%s",
                table,
                list(ids),
                SQL(" NOWAIT") if nowait else SQL(),
            ),
            log_exceptions=False,
        )


def attempt_now(env, func):
    """Call ``func()`` in a savepoint; on a conflict with another transaction
    roll the savepoint back, forget what the ORM cached inside it, and return
    False. The ORM's pending writes are flushed before, so only what ``func``
    did is undone."""
    env.flush_all()
    try:
        # An insert on a unique key another transaction committed meanwhile
        # fails with a logged "bad query": here it only means "later".
        with mute_logger("odoo.sql_db"), env.cr.savepoint(flush=False):
            func()
            env.flush_all()
    except CONFLICTS:
        env.clear()
        return False
    return True


def in_read_committed(env):
    """Whether ``env``'s transaction is an after-commit run."""
    return bool(env.context.get(READ_COMMITTED_KEY))


READ_COMMITTED_KEY = "repeat_sales_read_committed"


def run_after_commit(env, model_name, method_name, ids):
    """Call ``env[model_name].method_name(ids)`` once the current transaction
    has committed, in a transaction of its own in READ COMMITTED, as superuser
    on behalf of the current user. The ids of one transaction are gathered
    into one call; nothing runs if the transaction is rolled back."""
    postcommit = env.cr.postcommit
    key = (__name__, model_name, method_name)
    pending = postcommit.data.get(key)
    if pending is None:
        pending = postcommit.data[key] = set()
        registry, uid = env.registry, env.uid
        # The user's language and time zone only: ``default_*`` keys of the
        # request's context must not leak into what the run creates.
        context = {
            key: env.context[key] for key in ("lang", "tz") if key in env.context
        }

        @postcommit.add
        def run():
            _run_committed(registry, uid, context, model_name, method_name, pending)

    pending.update(ids)


def _run_committed(registry, uid, context, model_name, method_name, ids):
    ids = sorted(ids)
    for attempt in range(1, AFTER_COMMIT_TRIES + 1):
        try:
            with registry.cursor() as cr:
                # Each statement sees what was committed before it started,
                # and a row lock waits for its holder instead of failing.
                cr.execute(SQL("SET TRANSACTION ISOLATION LEVEL READ COMMITTED"))
                env = api.Environment(
                    cr, uid, {**context, READ_COMMITTED_KEY: True}, su=True
                )
                getattr(env[model_name], method_name)(ids)
            return
        except CONFLICTS as error:
            if attempt == AFTER_COMMIT_TRIES:
                _logger.warning(
                    "%s.%s after commit gave up (%s); the nightly run finishes it.",
                    model_name,
                    method_name,
                    error.pgcode,
                )
        except Exception:
            # The request has committed: its answer must not turn into an
            # error. What is left is finished by the part's nightly step.
            _logger.exception(
                "%s.%s after commit failed; the nightly run finishes it.",
                model_name,
                method_name,
            )
            return
