"""The worker pool: order, big items sent ahead without deadlock, crashes and time limits."""

import os
import time

from cleanarticle.pool import WorkerPool


def _echo(state, item):
    kind, value = item
    if kind == "sleep":
        time.sleep(value)
    elif kind == "exit":
        os._exit(value)
    elif kind == "hang":
        while True:
            pass
    elif kind == "raise":
        raise ValueError(value)
    return value if kind != "big" else len(value)


def _cost(item):
    return len(item[1]) if item[0] == "big" else 16


def test_order_is_input_order_whatever_the_durations():
    items = [("sleep", 0.03 if i % 7 == 0 else 0) for i in range(200)]
    with WorkerPool(_echo, None, jobs=2, cost=_cost) as pool:
        got = [seq for seq, _, (kind, _) in pool.map(items) if kind == "ok"]
    assert got == list(range(200))


def test_big_results_and_items_do_not_deadlock():
    items = [("big", "x" * (150_000 + i)) for i in range(60)]
    with WorkerPool(_echo, None, jobs=2, cost=_cost, timeout=60) as pool:
        got = [value for _, _, (kind, value) in pool.map(items)]
    assert got == [150_000 + i for i in range(60)]


def test_a_crash_or_exception_costs_one_item_and_the_rest_is_redone():
    items = [("sleep", 0)] * 20 + [("exit", 7)] + [("sleep", 0)] * 20 + [("raise", "bad")] + [("sleep", 0)] * 5
    with WorkerPool(_echo, None, jobs=2, cost=_cost) as pool:
        out = [(seq, kind) for seq, _, (kind, _) in pool.map(items)]
    assert [s for s, _ in out] == list(range(len(items)))
    assert [k for _, k in out].count("ok") == len(items) - 2
    assert out[20] == (20, "crash") and out[41] == (41, "error")


def test_time_limit_stops_a_busy_loop_and_the_pool_goes_on():
    items = [("sleep", 0)] * 30 + [("hang", 0)] + [("sleep", 0)] * 30
    t0 = time.monotonic()
    with WorkerPool(_echo, None, jobs=2, timeout=3.0, cost=_cost) as pool:
        kinds = [kind for _, _, (kind, _) in pool.map(items)]
    assert time.monotonic() - t0 < 30
    assert kinds[30] == "timeout" and kinds.count("ok") == 60


def test_one_pool_serves_several_maps():
    with WorkerPool(_echo, None, jobs=2, cost=_cost) as pool:
        a = [v for _, _, (_, v) in pool.map([("sleep", 0)] * 5)]
        b = [v for _, _, (_, v) in pool.map([("raise", "x"), ("big", "abc")])]
    assert a == [0] * 5 and b == ["ValueError: x", 3]
