"""One rule for a write made by a page: commit when the domain call succeeds; when it refuses,
roll back and tell the person why.

    with domain_action(_("Saved.")) as outcome:
        services.do_something(...)
    if outcome.failed:
        return render_again(status=outcome.error.status)
    return redirect(...)
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import flash

from app.core.errors import DomainError
from app.extensions import db


@dataclass
class Outcome:
    """What became of the action: `error` is the domain's refusal, None when it was committed."""

    error: DomainError | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None


@contextmanager
def domain_action(
    success=None,
    *,
    catch: type[DomainError] | tuple[type[DomainError], ...] = DomainError,
    reraise: tuple[type[DomainError], ...] = (),
    flash_error: bool = True,
) -> Iterator[Outcome]:
    """Commit the block's writes once, or roll them all back on a domain error.

    success: flashed ("success") after the commit. flash_error: flash the error's message
    ("error"); False where the page shows it in its form instead. An error that is not one of
    `catch`, or is one of `reraise` (e.g. Forbidden, for the error page), is rolled back and
    raised again. Other exceptions pass through untouched.
    """
    outcome = Outcome()
    try:
        yield outcome
    except DomainError as error:
        db.session.rollback()
        if not isinstance(error, catch) or isinstance(error, reraise):
            raise
        outcome.error = error
        if flash_error:
            flash(error.message, "error")
    else:
        db.session.commit()
        if success is not None:
            flash(success, "success")
