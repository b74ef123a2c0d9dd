"""optim.ConfusionMatrix: accumulate (prediction, target) pairs and report per-class accuracy.

    conf = optim.ConfusionMatrix(['cat', 'dog', 'person'])
    conf.zero()
    for sample, label in data:
        conf.add(net.forward(sample), label)    # label: 0-based class index
    print(conf)
"""
import math

import pytorch_lite as torch

from ._util import fdiv, lua_number as _lua_number


class ConfusionMatrix(object):
    """Rows are targets, columns predictions; class indices are 0-based in Python.

    Fields as in Torch7: ``mat`` (LongTensor nclasses x nclasses), ``valids`` (FloatTensor,
    per-class recall), ``unionvalids`` (FloatTensor, per-class intersection over union),
    ``nclasses``, ``totalValid`` (global accuracy), ``averageValid`` (mean of valids),
    ``averageUnionValid`` (after ``updateValids``), ``classes`` (names), and the buffers
    ``_target``, ``_prediction``, ``_max``, ``_pred_idx``, ``_targ_idx``.  Negative targets count
    as missing and are ignored (Torch7 ignores non-positive 1-based ones).

    Only the API is 0-based (``add``/``batchAdd`` class indices, ``mat[t][p]`` addressed from
    Python): ``mat`` itself holds the same counts in the same cells as Torch7's.  The class is
    registered with the t7 reader/writer as ``optim.ConfusionMatrix``: a matrix saved by Torch7
    loads as this class and ours saves in Torch7's layout (the index buffers ``_pred_idx`` /
    ``_targ_idx`` are written 1-based, as Torch7's ``max`` leaves them).
    """
    typename = 'optim.ConfusionMatrix'

    def __init__(self, nclasses, classes=None):
        if isinstance(nclasses, (list, tuple)):
            classes = list(nclasses)
            nclasses = len(classes)
        self.mat = torch.LongTensor(nclasses, nclasses).zero()
        self.valids = torch.FloatTensor(nclasses).zero()
        self.unionvalids = torch.FloatTensor(nclasses).zero()
        self.nclasses = nclasses
        self.totalValid = 0
        self.averageValid = 0
        self.classes = classes if classes is not None else []
        self._target = torch.FloatTensor()
        self._prediction = torch.FloatTensor()
        self._max = torch.FloatTensor()
        self._pred_idx = torch.LongTensor()
        self._targ_idx = torch.LongTensor()

    def _add(self, p, t):
        p, t = _index(p), _index(t)
        if t >= 0:
            self.mat[t][p] = self.mat[t][p] + 1

    def add(self, prediction, target):
        """Add one sample: a class index, or a score vector (its argmax is the class).

        ``target`` is a class index or a one-hot/score vector."""
        if not isinstance(prediction, torch.Tensor):
            self._add(prediction, target)
            return
        self._prediction.resize(prediction.size()).copy(prediction)
        assert prediction.dim() == 1
        if not isinstance(target, torch.Tensor):
            torch.max(self._max, self._pred_idx, self._prediction, 0)
            self._add(self._pred_idx[0], target)
        else:
            assert target.dim() == 1
            self._target.resize(target.size()).copy(target)
            torch.max(self._max, self._targ_idx, self._target, 0)
            torch.max(self._max, self._pred_idx, self._prediction, 0)
            self._add(self._pred_idx[0], self._targ_idx[0])

    def batchAdd(self, predictions, targets):
        """Add a batch: predictions are class indices (n) or scores (n x nclasses); targets are
        class indices (n) or one-hot rows (n x nclasses)."""
        self._prediction.resize(predictions.size()).copy(predictions)
        if predictions.dim() == 1:
            preds = self._prediction
        elif predictions.dim() == 2:
            if predictions.size(1) == 1:
                preds = self._prediction.select(1, 0)
            else:
                torch.max(self._max, self._pred_idx, self._prediction, 1)
                preds = self._pred_idx.select(1, 0)
        else:
            raise torch.TorchValueError('predictions has invalid number of dimensions')

        self._target.resize(targets.size()).copy(targets)
        if targets.dim() == 1:
            targs = self._target
        elif targets.dim() == 2:
            if targets.size(1) == 1:
                targs = self._target.select(1, 0)
            else:
                torch.max(self._max, self._targ_idx, self._target, 1)
                targs = self._targ_idx.select(1, 0)
        else:
            raise torch.TorchValueError('targets has invalid number of dimensions')

        for i in range(preds.size(0)):
            self._add(preds[i], targs[i])

    def zero(self):
        self.mat.zero()
        self.valids.zero()
        self.unionvalids.zero()
        self.totalValid = 0
        self.averageValid = 0

    def updateValids(self):
        """Recompute valids, unionvalids, totalValid, averageValid and averageUnionValid."""
        total = 0
        mat = self.mat
        for t in range(self.nclasses):
            row = mat.select(0, t).sum()
            col = mat.select(1, t).sum()
            self.valids[t] = fdiv(mat[t][t], row)
            self.unionvalids[t] = fdiv(mat[t][t], row + col - mat[t][t])
            total = total + mat[t][t]
        self.totalValid = fdiv(total, mat.sum())
        self.averageValid = 0
        self.averageUnionValid = 0
        nvalids = 0
        nunionvalids = 0
        for t in range(self.nclasses):
            v, u = self.valids[t], self.unionvalids[t]
            if v == v:
                self.averageValid = self.averageValid + v
                nvalids += 1
            if v == v and u == u:
                self.averageUnionValid = self.averageUnionValid + u
                nunionvalids += 1
        self.averageValid = fdiv(self.averageValid, nvalids)
        self.averageUnionValid = fdiv(self.averageUnionValid, nunionvalids)

    def farFrr(self):
        """False acceptance / false rejection rates: (classFrrs, classFars, frrs, fars)."""
        cmat = self.mat
        n = cmat.size(0)
        classFrrs = torch.zeros(n).add(-1)
        classFars = torch.zeros(n).add(-1)
        frrs, fars = [], []
        counts = cmat.sum(1)
        for i in range(n):
            if counts[i][0] != 0:
                frr = 1 - cmat[i][i] / counts[i][0]
                num, den = 0, 0
                for j in range(n):
                    if i != j and counts[j][0] != 0:
                        num = num + cmat[j][i] / counts[j][0]
                        den += 1
                far = fdiv(num, den)
                classFrrs[i] = frr
                classFars[i] = far
                frrs.append(frr)
                fars.append(far)
        return classFrrs, classFars, torch.Tensor(frrs), torch.Tensor(fars)

    def __str__(self):
        """Torch7's print layout (``print(conf)``)."""
        self.updateValids()
        out = ['ConfusionMatrix:\n', '[']
        maxCnt = self.mat.max()
        nDigits = max(8, 1 + math.ceil(math.log10(maxCnt))) if maxCnt > 0 else 8
        fmt = '%' + str(nDigits) + 'd'
        n = self.nclasses
        for t in range(n):
            pclass = _c_format('%2.3f', self.valids[t] * 100)
            out.append('[' if t == 0 else ' [')
            for p in range(n):
                out.append(fmt % self.mat[t][p])
            close = ']]  ' if t == n - 1 else ']   '
            if self.classes:
                name = self.classes[t] if t < len(self.classes) else ''
                out.append(close + pclass + '% \t[class: ' + str(name) + ']\n')
            else:
                out.append(close + pclass + '% \n')
        out.append(' + average row correct: ' + _lua_number(self.averageValid * 100) + '% \n')
        out.append(' + average rowUcol correct (VOC measure): '
                   + _lua_number(self.averageUnionValid * 100) + '% \n')
        out.append(' + global correct: ' + _lua_number(self.totalValid * 100) + '%')
        return ''.join(out)

    __repr__ = __str__

    # -- t7 files (pytorch_lite.serialization registry) ----------------------------------------
    def __t7_read__(self, fields, version):
        fields = dict(fields)
        classes = fields.get('classes')
        if classes is None or (isinstance(classes, dict) and not classes):
            fields['classes'] = []          # Lua's empty table {}
        for name in _INDEX_BUFFERS:
            fields[name] = _shift(fields.get(name), -1)
        self.__dict__.update(fields)
        for name, make in _BUFFERS:
            if not isinstance(self.__dict__.get(name), torch.Tensor):
                setattr(self, name, make())

    def __t7_write__(self):
        fields = dict(self.__dict__)
        for name in _INDEX_BUFFERS:
            fields[name] = _shift(fields.get(name), 1)
        return fields


_INDEX_BUFFERS = ('_pred_idx', '_targ_idx')
_BUFFERS = (('_target', torch.FloatTensor), ('_prediction', torch.FloatTensor),
            ('_max', torch.FloatTensor), ('_pred_idx', torch.LongTensor),
            ('_targ_idx', torch.LongTensor))


def _shift(t, by):
    """An index buffer between Lua's 1-based and our 0-based values (a copy)."""
    if isinstance(t, torch.Tensor) and t.nElement() > 0:
        return t.clone().add(by)
    return t


def _index(v):
    v = v.item() if hasattr(v, 'item') and not isinstance(v, (int, float)) else v
    return int(v)


def _c_format(fmt, v):
    """C printf of a float: glibc writes a NaN with its sign ('-nan')."""
    if v != v:
        return '-nan' if math.copysign(1, v) < 0 else 'nan'
    return fmt % v

