"""Python side of `require 'threads'` (lua/threads/init.lua): a pool of worker threads, each with
its own LuaJIT state (a fresh lua_compat Runtime), fed jobs through queues.

Jobs, their arguments and their results cross as (bytes, [Python objects]) made by
lua/threads/serialize.lua; Python objects (tensors, ...) are handed over as they are, so a
tensor filled by a worker is the one the main thread gets.  Lua runs in parallel in the workers
(lupa releases the GIL while Lua runs); Python calls take turns."""
import queue
import threading

from pytorch_lite.errors import TorchValueError


def _py_list(t):
    return [t[i] for i in range(1, len(t) + 1)] if t is not None else []


class Pool:
    def __init__(self, runtime, n, inits, package_path):
        if not isinstance(n, int) or n < 1:
            raise TorchValueError("threads.Threads: the number of threads must be a positive integer, got %r" % (n,))
        self._runtime_cls = type(runtime)
        self._out = (runtime._stdout, runtime._stderr)   # workers print where the main state does
        self._path = package_path
        self.jobs = queue.Queue()
        self.own = [queue.Queue() for _ in range(n)]
        self.results = queue.Queue()
        self.pending = 0
        self.started = [None] * n
        ready = queue.Queue()
        self.threads = [threading.Thread(target=self._work, args=(i + 1, inits, ready), daemon=True,
                                         name="lua-worker-%d" % (i + 1)) for i in range(n)]
        for t in self.threads:
            t.start()
        errors = []
        for _ in range(n):
            idx, ok, res = ready.get()
            if ok:
                self.started[idx - 1] = res
            else:
                errors.append("[thread %d init] %s" % (idx, res))
        if errors:
            self.close()
            raise TorchValueError("threads.Threads: " + "\n".join(errors))

    def _work(self, idx, inits, ready):
        try:
            rt = self._runtime_cls(stdout=self._out[0], stderr=self._out[1])
            g = rt.lua.globals()
            g.package.path = self._path
            g["__threadid"] = idx
            worker = rt.execute("return require('threads')._worker()")
            res = None
            for payload, objs in inits:
                r = worker.init(payload, rt.lua.table_from(objs), idx)
                if not r[0]:
                    raise RuntimeError(r[1])
                res = (bytes.fromhex(r[1]), _py_list(r[2]))
        except BaseException as e:   # reported to the main thread, which raises it
            ready.put((idx, False, str(e)))
            return
        ready.put((idx, True, res))
        own = self.own[idx - 1]
        while True:
            try:
                job = own.get_nowait()
            except queue.Empty:
                try:
                    job = self.jobs.get(timeout=0.02)
                except queue.Empty:
                    continue
            if job is None:
                break
            jobid, payload, objs = job
            try:
                r = worker.run(payload, rt.lua.table_from(objs))
                if r[0]:
                    self.results.put((jobid, True, bytes.fromhex(r[1]), _py_list(r[2]), idx))
                else:
                    self.results.put((jobid, False, "[thread %d callback] %s" % (idx, r[1]), [], idx))
            except BaseException as e:
                self.results.put((jobid, False, "[thread %d callback] %s" % (idx, e), [], idx))
        del worker, rt

    def add(self, jobid, payload, objs, target=None):
        job = (jobid, bytes.fromhex(payload), _py_list(objs))
        if target is None:
            self.jobs.put(job)
        else:
            if not 1 <= target <= len(self.threads):
                raise TorchValueError("threads: no thread %r (1..%d)" % (target, len(self.threads)))
            self.own[target - 1].put(job)
        self.pending += 1

    def queued(self, target=None):
        return (self.jobs if target is None else self.own[target - 1]).qsize()

    def next_result(self):
        """(jobid, ok, bytes or message, objects, thread index) of a finished job, waiting for one."""
        r = self.results.get()
        self.pending -= 1
        return r

    def close(self):
        for q in self.own:
            q.put(None)
        for t in self.threads:
            t.join()
        self.threads = []


class Mutex:
    _all = {}
    _next = [0]
    _guard = threading.Lock()

    def __init__(self):
        self.lock = threading.Lock()
        with Mutex._guard:
            Mutex._next[0] += 1
            self.id = Mutex._next[0]
            Mutex._all[self.id] = self


class Condition:
    """threads.Condition: wait(mutex) releases the mutex until signal/broadcast, then retakes it."""
    _all = {}
    _next = [0]

    def __init__(self):
        self._waiters = []
        self._guard = threading.Lock()
        with Mutex._guard:
            Condition._next[0] += 1
            self.id = Condition._next[0]
            Condition._all[self.id] = self

    def wait(self, mutex):
        me = threading.Lock()
        me.acquire()
        with self._guard:
            self._waiters.append(me)
        mutex.lock.release()
        me.acquire()   # until a signal releases it
        mutex.lock.acquire()

    def signal(self, n=1):
        with self._guard:
            woken, self._waiters = self._waiters[:n], self._waiters[n:]
        for w in woken:
            w.release()


def bridge(runtime):
    def new_pool(n, inits, package_path):
        pairs = [(bytes.fromhex(inits[i][1]), _py_list(inits[i][2])) for i in range(1, len(inits) + 1)]
        return Pool(runtime, n, pairs, package_path)

    def started(pool, idx):
        r = pool.started[idx - 1]
        if r is None:
            return None
        return r[0], runtime.lua.table_from(r[1])

    def next_result(pool):
        jobid, ok, data, objs, idx = pool.next_result()
        return jobid, ok, data, runtime.lua.table_from(objs), idx

    def mutex(ident=None):
        if ident is None:
            return Mutex()
        m = Mutex._all.get(int(ident))
        if m is None:
            raise TorchValueError("threads.Mutex: no mutex with id %r" % (ident,))
        return m

    def condition(ident=None):
        if ident is None:
            return Condition()
        c = Condition._all.get(int(ident))
        if c is None:
            raise TorchValueError("threads.Condition: no condition with id %r" % (ident,))
        return c

    return dict(
        new_pool=new_pool, started=started, add=lambda p, jobid, payload, objs, target=None: p.add(
            jobid, payload, objs, target),
        pending=lambda p: p.pending, queued=lambda p, target=None: p.queued(target), next_result=next_result,
        close=lambda p: p.close(), nthreads=lambda p: len(p.threads),
        mutex=mutex, mutex_lock=lambda m: m.lock.acquire() and None, mutex_unlock=lambda m: m.lock.release(),
        mutex_id=lambda m: m.id, condition=condition, cond_wait=lambda c, m: c.wait(m),
        cond_signal=lambda c: c.signal(1), cond_broadcast=lambda c: c.signal(len(c._waiters)),
        cond_id=lambda c: c.id,
    )
