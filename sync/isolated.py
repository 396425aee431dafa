"""Run a pure, CPU-heavy function (a feed's parse and expansion) in a child process.

In the kiosk the worker thread shares the interpreter with Kivy's main thread. A pure-Python parse
of a large feed holds the GIL for most of a second and leaves a large graph of short-lived objects
whose garbage collection stops every thread (measured: gen-2 collections of 170-330 ms during a
1,000-event expansion). In a child process the parse runs on its own interpreter; the worker thread
only waits on a pipe, without the GIL, and gets back the plain result.

The child is started fresh ("spawn"): forking a process that holds an OpenGL context and threads is
not safe, and a fresh child leaves no memory behind between rounds.

The caller may give the child a budget: CPU seconds (RLIMIT_CPU; at the soft limit `OverBudget` is
raised in the child, 5 s later the kernel kills it) and an address-space size (RLIMIT_AS: past it
allocations fail with MemoryError). Either comes back here as `BudgetExceeded`, unless the function
turned it into an error of its own first.
"""
from __future__ import annotations

import importlib
import multiprocessing
import resource
import signal
from typing import Any

TIMEOUT_SECONDS = 300.0


class ChildFailed(RuntimeError):
    """The child process died, hung or could not send its answer (not the input's fault)."""


class BudgetExceeded(RuntimeError):
    """The function needed more CPU time or memory than the child's budget."""


class OverBudget(BaseException):
    """Raised in the child at its CPU limit; a BaseException so that no library's `except Exception`
    swallows it."""


def call(function: str, *args: Any, timeout: float = TIMEOUT_SECONDS, cpu_seconds: int | None = None,
         memory_bytes: int | None = None) -> Any:
    """`function(*args)` in a child process: its return value, or its exception raised here.

    `function` is named as "module:name" and imported in the child only (this process need not
    import it); the arguments and the result must be picklable. Raises ChildFailed when the child
    gives no answer, BudgetExceeded when it went over `cpu_seconds` or `memory_bytes`.
    """
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    process = context.Process(target=_child, args=(theirs,), name="wijkkiosk-parse", daemon=True)
    process.start()
    theirs.close()  # the child holds the only other end: EOF here when it dies
    try:
        # the work goes over the pipe, not in the start-up data: a child that dies while starting
        # would leave the parent blocked on writing a large start-up payload
        ours.send((function, args, cpu_seconds, memory_bytes))
        if not ours.poll(timeout):
            raise ChildFailed(f"no answer from the child process within {timeout:.0f} s")
        ok, value = ours.recv()
    except (EOFError, BrokenPipeError, ConnectionResetError):
        process.join(5)
        raise ChildFailed(f"the child process ended without an answer (exit code {process.exitcode})") from None
    finally:
        ours.close()
        if process.is_alive():
            process.terminate()
        process.join(5)
    if ok:
        return value
    raise value


def _child(conn) -> None:
    name, args, cpu_seconds, memory_bytes = conn.recv()
    _limit(cpu_seconds, memory_bytes)
    try:
        module, attribute = name.split(":")
        answer = (True, getattr(importlib.import_module(module), attribute)(*args))
    except (OverBudget, MemoryError) as exc:
        answer = (False, BudgetExceeded(over_budget(exc)))
    except Exception as exc:  # the caller decides what the error means
        answer = (False, exc)
    try:
        conn.send(answer)
    except Exception as exc:  # an unpicklable result or exception
        conn.send((False, ChildFailed(f"the child's answer cannot be sent: {type(exc).__name__}: {exc}")))
    finally:
        conn.close()


_budget: dict[str, int] = {}  # in the child: the budget it was given (the kernel raises the CPU soft limit)


def _limit(cpu_seconds: int | None, memory_bytes: int | None) -> None:
    """Set the child's budget, within what the system allows it (a lower hard limit wins)."""
    if cpu_seconds is not None:
        hard = _within_hard(resource.RLIMIT_CPU, cpu_seconds + 5)
        resource.setrlimit(resource.RLIMIT_CPU, (min(cpu_seconds, hard), hard))
        signal.signal(signal.SIGXCPU, _over_budget)
        _budget["cpu_seconds"] = min(cpu_seconds, hard)
    if memory_bytes is not None:
        hard = _within_hard(resource.RLIMIT_AS, memory_bytes)
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
        _budget["memory_bytes"] = hard


def _within_hard(kind: int, wanted: int) -> int:
    _soft, hard = resource.getrlimit(kind)
    return wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)


def _over_budget(_signum, _frame) -> None:
    signal.signal(signal.SIGXCPU, signal.SIG_IGN)  # once: the kernel repeats it every second while unwinding
    raise OverBudget()


def over_budget(exc: BaseException) -> str:
    """Which budget an OverBudget or a MemoryError in the child went over, e.g. "more than 60 s of CPU time"."""
    if isinstance(exc, MemoryError):
        size = _budget.get("memory_bytes")
        return f"more than {size // 2**20} MB of memory" if size else "more memory than there is"
    return f"more than {_budget.get('cpu_seconds')} s of CPU time"
