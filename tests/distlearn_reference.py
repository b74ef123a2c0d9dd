"""torch-distlearn's algorithms simulated for 2 ranks in numpy, from the description in its
README and AllReduceEA.md (not from our implementation): each rank is a generator that yields
its allreduce contributions ('allreduce', values, finished) and scatters ('scatter', values), and
lockstep() pairs the ranks' calls as the collectives do."""
import numpy as np


def inputs(rank, n):
    return (np.arange(n) * 3 + 7 * rank + 1) % 23 - 5


def lockstep(procs):
    msgs = [next(p) for p in procs]
    while any(m is not None for m in msgs):
        assert all(m is not None and m[0] == msgs[0][0] for m in msgs), "ranks out of step: %r" % (msgs,)
        if msgs[0][0] == "allreduce":
            total = sum(m[1] for m in msgs)
            finished = sum(m[2] for m in msgs)
            replies = [(total.copy(), finished) for _ in msgs]
        else:
            replies = [msgs[0][1].copy() for _ in msgs]
        nxt = []
        for p, rep in zip(procs, replies):
            try:
                nxt.append(p.send(rep))
            except StopIteration:
                nxt.append(None)
        msgs = nxt


def sgd(steps):
    """History of rank r's params after each epoch's synchronizeParameters (worker's 'sgd')."""
    history = {0: [], 1: []}

    def proc(r):
        p = yield ("scatter", inputs(r, 7) * 0.5)
        for epoch in range(2):
            n = steps[r + 2 * epoch]
            for k in range(n):
                g = np.full(7, (r + 1) * (k + 1) / n)
                total, finished = yield ("allreduce", g, 0)
                contributors = 2 - finished
                p = p + (total / contributors if contributors > 1 else total)
            while True:                         # finished: zeros until every rank is
                _, finished = yield ("allreduce", np.zeros(7), 1)
                if finished == 2:
                    break
            counts, _ = yield ("allreduce", np.array([n if q == r else 0 for q in range(2)], float), 0)
            winner = max(range(2), key=lambda q: (counts[q], q))
            p, _ = yield ("allreduce", p if r == winner else np.zeros(7), 0)
            history[r].append(p.tolist())
    lockstep([proc(0), proc(1)])
    return history


def ea(steps, tau=2, alpha=0.3):
    """History of rank r's params ({'a', 'b'}) after each epoch's synchronizeCenter and the final
    synchronizeParameters (worker's 'ea'); the tensors walk in key order: a (3), then b (2)."""
    history = {0: [], 1: []}

    def proc(r):
        s = {"p": np.concatenate([inputs(r, 3), [1.0, -1.0]]), "step": 0}
        s["center"] = s["p"].copy()

        def finish():
            if s["step"] > 0:
                delta = np.zeros(5)
                while True:
                    s["center"] = s["center"] + delta
                    delta = alpha * (s["p"] - s["center"])
                    s["p"] = s["p"] - delta
                    delta, finished = yield ("allreduce", delta, 1)
                    if finished == 2:
                        break
                s["step"] = 0

        def record():
            history[r].append({"a": s["p"][:3].tolist(), "b": s["p"][3:].tolist()})

        s["p"] = yield ("scatter", s["p"])
        s["center"] = s["p"].copy()
        for epoch in range(2):
            for _ in range(steps[r + 2 * epoch]):
                s["p"] = s["p"] - 0.25 * (s["p"] - 2.0 * (r + 1))
                s["step"] += 1
                if s["step"] % tau == 0:
                    delta = alpha * (s["p"] - s["center"])
                    s["p"] = s["p"] - delta
                    total, _ = yield ("allreduce", delta, 0)
                    s["center"] = s["center"] + total
            yield from finish()
            s["center"] = yield ("scatter", s["center"])
            record()
        yield from finish()
        s["p"] = yield ("scatter", s["p"])
        s["center"] = s["p"].copy()
        record()
    lockstep([proc(0), proc(1)])
    return history
