"""torch-distlearn's two algorithms, over the MPI world's Tree (tree.py).

AllReduceSGD spreads each mini-batch over the ranks and sums (or averages) the gradients;
AllReduceEA is elastic averaging (Zhang, Choromanska, LeCun, arXiv:1412.6651) written as one
allreduce of the elastic differences every ``tau`` steps.  Both accept ranks that run different
numbers of steps per epoch, as distlearn does.  Method names are distlearn's.
"""
from ..tensor import LongTensor
from .tree import Tree, walk


class AllReduceSGD:
    def __init__(self, tree=None):
        self.tree = tree or Tree()
        self.steps = LongTensor(self.tree.size).zero()   # steps each rank did since the last sync

    def _count_step(self):
        self.steps.numpy()[self.tree.rank] += 1

    def sumGradients(self, grads):
        """Every rank's grads become the sum over the ranks."""
        self.tree.all_reduce(grads)
        self._count_step()
        return grads

    def sumAndNormalizeGradients(self, grads):
        """... divided by the number of ranks that contributed to this step."""
        _, n = self.tree.all_reduce(grads)
        if n > 1:
            for g in walk(grads):
                g.mul(1.0 / n)
        self._count_step()
        return grads

    def synchronizeParameters(self, params):
        """The same params on every rank: rank 0's before any step; after steps, those of the rank
        that did the most (the highest such rank on a tie), once the others have caught up."""
        tree = self.tree
        if self.steps.numpy()[tree.rank] > 0:
            tree.all_reduce(None, zero=lambda t, i: t.fill(0))   # finish the rounds others still run
            tree.all_reduce(self.steps)
            counts = self.steps.numpy()
            winner = max(range(tree.size), key=lambda r: (counts[r], r))
            if tree.rank != winner:
                for p in walk(params):
                    p.fill(0)
            tree.all_reduce(params)
            self.steps.zero()
        else:
            tree.scatter(params)
        return params


class AllReduceEA:
    def __init__(self, tau, alpha, tree=None):
        self.tree = tree or Tree()
        self.tau, self.alpha = int(tau), float(alpha)
        self.step = 0
        self.center = self.delta = self.params = None

    def _init(self, params):
        if self.center is None:
            self.params = walk(params)
            self.center = [p.clone() for p in self.params]
            self.delta = [p.clone() for p in self.params]

    def averageParameters(self, params):
        """Every tau-th call: move this rank's params alpha of the way to the center, and the
        center by the sum of every rank's moves."""
        self._init(params)
        self.step += 1
        if self.step % self.tau == 0:
            for p, c, d in zip(self.params, self.center, self.delta):
                d.copy(p).add(-1, c).mul(self.alpha)
                p.add(-1, d)
            self.tree.all_reduce(self.delta)
            for c, d in zip(self.center, self.delta):
                c.add(d)
        return params

    def _finish_uneven_steps(self):
        if self.step > 0:
            for d in self.delta:
                d.fill(0)

            def elastic_round(_, i):
                # the previous round's summed moves reach the center, then this rank moves again;
                # as in distlearn, the last round's sum is not added to the center
                c, d, p = self.center[i], self.delta[i], self.params[i]
                c.add(d)
                d.copy(p).add(-1, c).mul(self.alpha)
                p.add(-1, d)
                return d
            self.tree.all_reduce(self.delta, zero=elastic_round)
            self.step = 0

    def synchronizeCenter(self, params):
        """Rank 0's center on every rank (centers drift apart by rounding over time)."""
        self._init(params)
        self._finish_uneven_steps()
        self.tree.scatter(self.center)
        return params

    def synchronizeParameters(self, params):
        """Rank 0's params on every rank, and the center reset to them."""
        self._init(params)
        self._finish_uneven_steps()
        self.tree.scatter(params)
        for c, p in zip(self.center, self.params):
            c.copy(p)
        return params
