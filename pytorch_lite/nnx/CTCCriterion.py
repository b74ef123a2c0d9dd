"""nn.CTCCriterion(batchFirst=false): Connectionist Temporal Classification loss (what nnx gets
from Baidu's warp-ctc, computed here with numpy).

input: seqLength x batch x nClasses unnormalised scores (batch x seqLength x nClasses with
batchFirst; or (seqLength*batch) x nClasses, time-major; as warp-ctc, the rows are split into as
many sequences as sizes has entries), softmax-normalised inside; target: a
table with one list of labels per sequence; sizes: a tensor of the sequences' lengths.  Class 0
is the blank and labels are class numbers 1..nClasses-1, in Lua as in Python (warp-ctc's
convention: a label names a column counted from 0, so the labels need no shifting).
forward returns the summed negative log-likelihood divided by the batch size (self.output keeps
the sum); the gradient (of the sum, with respect to the scores) is computed by the forward and
handed out by updateGradInput, as nnx does.  Frames past a sequence's size get no gradient."""
import numpy as np

from ..errors import TorchValueError
from ..nn.Criterion import Criterion
from ..tensor import Tensor, FloatTensor

NEG = -np.inf


def _log_softmax(x):
    m = x.max(axis=1, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=1, keepdims=True))


def ctc(scores, labels):
    """(cost, gradient w.r.t. scores) of one sequence: scores (T x D), labels [l1, ...] in 1..D-1."""
    T, D = scores.shape
    lp = _log_softmax(scores)
    ext = np.zeros(2 * len(labels) + 1, dtype=np.int64)
    ext[1::2] = labels
    S = len(ext)
    skip = np.zeros(S, dtype=bool)   # s may be reached from s - 2 (a label differing from the one before)
    skip[2:] = (ext[2:] != 0) & (ext[2:] != ext[:-2])
    emit = lp[:, ext]                 # T x S
    alpha = np.full((T, S), NEG)
    alpha[0, :min(2, S)] = emit[0, :min(2, S)]
    for t in range(1, T):             # one vectorised step per frame
        prev = alpha[t - 1]
        a = np.concatenate(([NEG], prev[:-1]))
        b = np.where(skip, np.concatenate(([NEG, NEG], prev[:-2])), NEG)
        alpha[t] = np.logaddexp(np.logaddexp(prev, a), b) + emit[t]
    ends = alpha[T - 1, max(0, S - 2):]
    logp = np.logaddexp.reduce(ends)
    if not np.isfinite(logp):
        return np.inf, np.zeros_like(scores)
    beta = np.full((T, S), NEG)       # the rest of the path after frame t, given state s at t
    beta[T - 1, max(0, S - 2):] = 0
    for t in range(T - 2, -1, -1):
        nxt = beta[t + 1] + emit[t + 1]
        a = np.concatenate((nxt[1:], [NEG]))
        b = np.where(np.concatenate((skip[2:], [False, False])), np.concatenate((nxt[2:], [NEG, NEG])), NEG)
        beta[t] = np.logaddexp(np.logaddexp(nxt, a), b)
    occupancy = np.exp(alpha + beta - logp)               # T x S
    onehot = np.zeros((S, D))
    onehot[np.arange(S), ext] = 1
    return -logp, np.exp(lp) - occupancy @ onehot


class CTCCriterion(Criterion):
    typename = "nn.CTCCriterion"

    def __init__(self, batchFirst=None):
        super().__init__()
        self.acts = Tensor()
        self.batchFirst = bool(batchFirst)

    def forward(self, input, target, sizes=None):
        return self.updateOutput(input, target, sizes)

    def updateOutput(self, input, target, sizes=None):
        if sizes is None:
            raise TorchValueError("You must pass the size of each sequence in the batch as a tensor")
        a = np.asarray(input._a, dtype=np.float64)
        if a.ndim == 3 and self.batchFirst:
            a = a.transpose(1, 0, 2)
        if a.ndim not in (2, 3):
            raise TorchValueError("nn.CTCCriterion: expected a 2D or 3D input, got %dD" % a.ndim)
        # as warp-ctc reads it: time-major rows, as many sequences as sizes (not the input's dim 2)
        a = a.reshape(-1, a.shape[-1])
        batch = max(sizes.nElement(), 1)
        if a.shape[0] % batch:
            raise TorchValueError("nn.CTCCriterion: %d frames do not split into %d sequences" % (a.shape[0], batch))
        seq = a.shape[0] // batch
        a = a.reshape(seq, batch, -1)
        lengths = [int(s) for s in np.asarray(sizes._a).reshape(-1)]
        labels = [list(t) if not isinstance(t, Tensor) else [int(v) for v in t._a.reshape(-1)] for t in target]
        if len(lengths) != batch or len(labels) != batch:
            raise TorchValueError("nn.CTCCriterion: %d sequences, but %d sizes and %d targets"
                                  % (batch, len(lengths), len(labels)))
        grad = np.zeros(a.shape)
        total = 0.0
        for b in range(batch):
            lab = [int(l) for l in labels[b]]
            if any(l < 1 or l >= a.shape[2] for l in lab) or not 0 < lengths[b] <= seq:
                raise TorchValueError("nn.CTCCriterion: sequence %d: labels must be in 1..%d and its size in 1..%d"
                                      % (b, a.shape[2] - 1, seq))
            cost, g = ctc(a[:lengths[b], b], lab)
            total += cost
            grad[:lengths[b], b] = g
        self.gradInput = FloatTensor(*grad.shape)
        self.gradInput._a[...] = grad
        self.gradInput = self.gradInput.view(seq * batch, -1)
        self.output = total
        return self.output / len(lengths)

    def updateGradInput(self, input, target=None, sizes=None):
        if input.dim() == 2:
            return self.gradInput
        if self.batchFirst:
            self.gradInput = self.gradInput.view(input._size[1], input._size[0], -1).transpose(0, 1)
        else:
            self.gradInput = self.gradInput.view(input._size[0], input._size[1], -1)
        return self.gradInput
