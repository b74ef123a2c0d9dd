"""nn.SoftMaxTree(inputSize, hierarchy, rootId=1, accUpdate, static=true, verbose): a
hierarchical softmax.  Input {x (batch x inputSize), target (IntTensor of node ids)}; output (1D,
one per example) the log-probability of the target: the sum, along the path from the target up
to the root, of each node's log-softmax score among its siblings, where a parent's children are
scored by their own rows of a Linear layer (weight nChildNode x inputSize, bias nChildNode).

hierarchy is {parentId: 1D IntTensor of childIds}.  Node ids are names, not positions: they are
the same numbers in Python, in Lua and in t7 files.  The tables nnx keeps (parentChildren:
parentId -> (first row, nChildren); childParent: childId -> (parentId, position among the
siblings); both 1-based and indexed by id - 1) keep nnx's layout so t7 files carry them as is.
`updates` maps each parentId used by accGradParameters to the sum of the scales it got:
parameters(), updateParameters and zeroGradParameters then touch only those nodes' rows.
Parents are laid out in increasing id order (nnx follows Lua's pairs order)."""
import numpy as np

from ..errors import TorchValueError
from ..nn.Module import Module
from ..nn import utils
from ..tensor import Tensor, IntTensor


class SoftMaxTree(Module):
    typename = "nn.SoftMaxTree"

    def __init__(self, inputSize, hierarchy, rootId=None, accUpdate=None, static=None, verbose=None):
        super().__init__()
        if not isinstance(hierarchy, dict):
            raise TorchValueError("nn.SoftMaxTree: expecting a table of 1D tensors at arg 2")
        self.rootId = 1 if rootId is None else int(rootId)
        self.inputSize = int(inputSize)
        self.accUpdate = accUpdate
        kids = {}
        for pid, ch in hierarchy.items():
            if not isinstance(ch, Tensor) or ch.dim() != 1:
                raise TorchValueError("nn.SoftMaxTree: expecting a table of 1D tensors at arg 2")
            kids[int(pid)] = np.asarray(ch._a, dtype=np.int64)
        parents = sorted(kids)
        all_ids = np.concatenate([[p] for p in parents] + [kids[p] for p in parents])
        if all_ids.min() < 1:
            raise TorchValueError("nn.SoftMaxTree: node ids must be positive: %d" % all_ids.min())
        self.nChildNode = int(sum(len(kids[p]) for p in parents))
        self.nParentNode = len(parents)
        self.minNodeId, self.maxNodeId = int(all_ids.min()), int(all_ids.max())
        self.maxParentId = max(parents)
        self.maxChildId = int(max(kids[p].max() for p in parents))
        self.maxFamily = int(max(len(kids[p]) for p in parents))
        self.weight = Tensor(self.nChildNode, self.inputSize)
        self.bias = Tensor(self.nChildNode)
        if not accUpdate:
            self.gradWeight = Tensor(self.nChildNode, self.inputSize).zero()
            self.gradBias = Tensor(self.nChildNode).zero()
        self.childIds = IntTensor(self.nChildNode)
        self.parentIds = IntTensor(parents)
        pc = np.full((self.maxParentId, 2), -1, dtype=np.int64)
        cp = np.full((self.maxChildId, 2), -1, dtype=np.int64)
        start = 0
        for p in parents:
            n = len(kids[p])
            pc[p - 1] = (start + 1, n)
            self.childIds._a[start:start + n] = kids[p]
            cp[kids[p] - 1, 0] = p
            cp[kids[p] - 1, 1] = np.arange(1, n + 1)
            start += n
        self.parentChildren = IntTensor(pc.tolist())
        self.childParent = IntTensor(cp.tolist())
        paths = [self._path(c) for c in range(1, self.maxChildId + 1) if cp[c - 1, 0] > 0]
        self.maxDept = max(len(p) for p in paths) if paths else 1
        self.maxFamilyPath = max(sum(pc[q - 1, 1] for q, _ in p) for p in paths) if paths else 0
        if verbose:
            print("Hierachy has :\n%d parent nodes\n%d child nodes\n%d leaf nodes"
                  % (self.nParentNode, self.nChildNode, self.nChildNode - self.nParentNode))
        self.updates = {}
        self.batchSize = 0
        self._gradInput = Tensor()
        self._gradTarget = IntTensor()
        self.gradInput = [self._gradInput, self._gradTarget]
        self.static = True if static is None else static
        self.reset()

    def reset(self, stdv=None):
        stdv = stdv * np.sqrt(3) if stdv is not None else 1 / np.sqrt(self.nChildNode * self.inputSize)
        utils.uniform_(self.weight, -stdv, stdv)
        utils.uniform_(self.bias, -stdv, stdv)
        return self

    # -- the tree ----------------------------------------------------------------------------
    def _path(self, child):
        """[(parentId, 0-based position among the siblings), ...] from child up to the root."""
        cp = self.childParent._a
        out = []
        while True:
            if child < 1 or child > cp.shape[0] or cp[child - 1, 0] < 1:
                raise TorchValueError("nn.SoftMaxTree: node %d has no parent in the tree" % child)
            parent, idx = int(cp[child - 1, 0]), int(cp[child - 1, 1]) - 1
            out.append((parent, idx))
            if parent == self.rootId or len(out) > cp.shape[0]:
                return out
            child = parent

    def _groups(self, target):
        """{parentId: (example rows, positions of their path's child)} over the batch."""
        groups = {}
        for i, t in enumerate(np.asarray(target._a, dtype=np.int64).reshape(-1)):
            for parent, idx in self._path(int(t)):
                rows, pos = groups.setdefault(parent, ([], []))
                rows.append(i)
                pos.append(idx)
        return {p: (np.array(r), np.array(q)) for p, (r, q) in groups.items()}

    def _rows(self, parent):
        start, n = self.parentChildren._a[parent - 1]
        return slice(int(start) - 1, int(start) - 1 + int(n))

    def _log_softmax(self, x, parent, rows):
        sl = self._rows(parent)
        z = x[rows] @ self.weight._a[sl].T + self.bias._a[sl]
        z = z - z.max(axis=1, keepdims=True)
        return z - np.log(np.exp(z).sum(axis=1, keepdims=True))

    def _inputs(self, inputTable):
        if not isinstance(inputTable, (list, tuple)) or len(inputTable) != 2:
            utils.bad_input(self, "a table {input, target}", inputTable)
        x, target = inputTable
        if not isinstance(x, Tensor) or x.dim() != 2 or x._size[1] != self.inputSize:
            utils.bad_input(self, "a batch x %d input" % self.inputSize, x)
        if not isinstance(target, Tensor) or target.nElement() != x._size[0]:
            utils.bad_input(self, "one target per example", target)
        return x, target

    # -- forward / backward ------------------------------------------------------------------
    def updateOutput(self, inputTable):
        x, target = self._inputs(inputTable)
        a = np.asarray(x._a)
        n = x._size[0]
        self.batchSize = n
        self._gradTarget.resizeAs(target).zero()
        out = np.zeros(n)
        for parent, (rows, pos) in self._groups(target).items():
            ls = self._log_softmax(a, parent, rows)
            np.add.at(out, rows, ls[np.arange(len(rows)), pos])
        self.output.resize(n)
        self.output._a[...] = out
        return self.output

    def _grad_logits(self, a, gradOutput, parent, rows, pos):
        """d output / d (this parent's linear scores), times each example's gradOutput."""
        g = np.asarray(gradOutput._a).reshape(-1)[rows][:, None]
        d = -np.exp(self._log_softmax(a, parent, rows)) * g
        d[np.arange(len(rows)), pos] += g[:, 0]
        return d

    def updateGradInput(self, inputTable, gradOutput):
        if self.gradInput is None:
            return None
        x, target = self._inputs(inputTable)
        if gradOutput.dim() != 1:
            utils.bad_input(self, "a 1D gradOutput", gradOutput)
        a = np.asarray(x._a)
        gi = np.zeros(a.shape)
        for parent, (rows, pos) in self._groups(target).items():
            d = self._grad_logits(a, gradOutput, parent, rows, pos)
            np.add.at(gi, rows, d @ self.weight._a[self._rows(parent)])
        self._gradInput.resizeAs(x)
        self._gradInput._a[...] = gi
        self.gradInput = [self._gradInput, self._gradTarget]
        return self.gradInput

    def accGradParameters(self, inputTable, gradOutput, scale=1):
        x, target = self._inputs(inputTable)
        a = np.asarray(x._a)
        for parent, (rows, pos) in self._groups(target).items():
            d = self._grad_logits(a, gradOutput, parent, rows, pos)
            sl = self._rows(parent)
            self.gradWeight._a[sl] += scale * (d.T @ a[rows])
            self.gradBias._a[sl] += scale * d.sum(axis=0)
            self.updates[parent] = self.updates.get(parent, 0) + scale * len(rows)

    # -- parameters, node by node -------------------------------------------------------------
    def _touched(self):
        ids = list(self.updates) or [int(p) for p in self.parentIds._a]
        return [self._rows(p) for p in ids]

    def parameters(self):
        if self.updates:
            params, grads = [], []
            for sl in self._touched():
                params += [self.weight[sl], self.bias[sl]]
                if not self.accUpdate:
                    grads += [self.gradWeight[sl], self.gradBias[sl]]
            return params, grads
        return [self.weight, self.bias], ([] if self.accUpdate else [self.gradWeight, self.gradBias])

    def updateParameters(self, learningRate):
        if self.accUpdate:
            raise TorchValueError("nn.SoftMaxTree: updateParameters needs gradients (accUpdate is set)")
        for sl in self._touched():
            self.weight._a[sl] -= learningRate * self.gradWeight._a[sl]
            self.bias._a[sl] -= learningRate * self.gradBias._a[sl]

    def zeroGradParameters(self):
        if not self.accUpdate:
            for sl in self._touched():
                self.gradWeight._a[sl] = 0
                self.gradBias._a[sl] = 0
        self.updates.clear()

    def getNodeParameters(self, parentId):
        sl = self._rows(int(parentId))
        params = [self.weight[sl], self.bias[sl]]
        if self.accUpdate:
            return params
        return params, [self.gradWeight[sl], self.gradBias[sl]]

    def maxNorm(self, maxNorm):
        for sl in self._touched():
            w = self.weight._a[sl]
            norms = np.sqrt((w * w).sum(axis=1, keepdims=True))
            w *= np.where(norms > maxNorm, maxNorm / (norms + 1e-7), 1)
