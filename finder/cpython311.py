"""A guard against a CPython 3.11 heap corruption that SQLAlchemy's object states trigger.

On CPython 3.11 the cyclic garbage collector can start inside any allocation of a tracked
object, including the dict that CPython allocates when a store to an object's attribute cannot
stay in the object's inline values (the class already has 30 attribute names, as SQLAlchemy's
InstanceState has). If that collection frees a mapped object, SQLAlchemy's weakref callback
(InstanceState._cleanup) stores attributes on that object's state: the very state whose store
is half done. The inner store turns the inline values into a dict and frees them; the outer
store then installs a dict built on the freed values. A later collection walks that dict and
the process dies with SIGSEGV (or the write is silently lost).

CPython 3.12 runs the collector only between bytecodes (gh-97922) and is not affected; 3.11
receives security fixes only. docs/cpython-3.11-crash.md has the analysis and a minimal
reproducer without SQLAlchemy.

The guard: every InstanceState gets a dict of its own when it is created, while its object is
certainly alive (so its weakref callback cannot run), so that no later store on it takes the
inline-values path.
"""

import sys

from sqlalchemy import event, inspect

AFFECTED = sys.version_info < (3, 12)
EVENTS = ("init", "load")  # a state is created for a new object, or for a loaded row


def _give_state_a_dict(target, *_) -> None:
    inspect(target).__dict__  # noqa: B018 (reading __dict__ makes CPython create it)


def guard(base: type) -> None:
    """On CPython 3.11, give the state of every object of `base`'s mapped classes a real
    __dict__ as it is created; elsewhere do nothing."""
    if not AFFECTED:
        return
    for name in EVENTS:
        if not event.contains(base, name, _give_state_a_dict):
            event.listen(base, name, _give_state_a_dict, propagate=True)
