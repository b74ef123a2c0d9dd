"""unsup.UnsupTrainer(module, data): plain SGD (or diagonal-Hessian scaled SGD) over an unsup
module, one example at a time.

``data[i]`` is the i-th example ``(input, target)`` (0-based here; a Lua dataset is 1-based there,
the bridge turns it into this); ``train(params)`` reads ``eta``, ``maxiter``, ``etadecay`` (0),
``statinterval`` (maxiter / 100), ``etadecayinterval`` and, for the Hessian, ``hessian``,
``hessianinterval``, ``hessiansamples`` (500), ``minhessian`` (0.02), ``maxhessian``.  Each step:
energy, gradients, ``x -= eta * dx`` (or ``eta * dx / ddx``), then ``module.normalize()``; hooks
``hookSample(trainer, age, example, result)`` and ``hookEpoch(trainer, epoch)`` are called if set
(``age`` counts updates from 1)."""
import math

import numpy as np

from ..errors import TorchRuntimeError, TorchValueError


class UnsupTrainer(object):
    typename = "unsup.UnsupTrainer"

    def __init__(self, module, data):
        got = module.getParameters()
        x, dx = got[0], got[1]
        ddx = got[2] if len(got) > 2 else None
        self.parameters = [x, dx, ddx]
        self.module = module
        self.data = data
        self.printer = print

    def train(self, params):
        data = self.data
        eta = params["eta"]
        etadecay = params.get("etadecay") or 0
        maxiter = params["maxiter"]
        statinterval = params.get("statinterval") or math.ceil(maxiter / 100)
        etadecayinterval = params.get("etadecayinterval") or statinterval
        dohessian = bool(params.get("hessian"))
        hessianinterval = params.get("hessianinterval") or statinterval
        if not dohessian:
            self.parameters[2] = None
        elif self.parameters[2] is None:
            raise TorchValueError("UnsupTrainer: hessian = true needs the module's Hessian parameters "
                                  "(nn.hessian.enable() and initDiagHessianParameters() before the trainer)")
        age, err = 1, 0
        while age <= maxiter:
            if dohessian and (age - 1) % hessianinterval == 0:
                self.printer("Computing Hessian")
                params["di"] = age
                self.computeDiagHessian(params)
                self.printer("done")
            ex = data[age - 1]
            sres = self.trainSample(ex, eta)
            err = err + sres[0]
            hook = getattr(self, "hookSample", None)
            if hook is not None:
                hook(self, age, ex, sres)
            if age % statinterval == 0:
                hook = getattr(self, "hookEpoch", None)
                if hook is not None:
                    hook(self, age / statinterval)
                self.printer("# iter= %s eta= %s current error= %s" % (_num(age), _num(eta), _num(err)))
                eta = params["eta"] / (1 + (age / etadecayinterval) * etadecay)
                err = 0
            age += 1

    def computeDiagHessian(self, params):
        hessiansamples = params.get("hessiansamples") or 500
        minhessian = params.get("minhessian") or 0.02
        maxhessian = params.get("maxhessian") or 1 / minhessian
        di = params["di"]
        self.printer("Min Hessian=%s Max Hessian=%s" % (_num(minhessian), _num(maxhessian)))
        x, dx, ddx = self.parameters
        module = self.module
        if getattr(self, "ddeltax", None) is None:
            self.ddeltax = ddx.new().resizeAs(ddx)
        ddeltax = self.ddeltax.zero()
        knew = 1 / hessiansamples
        for i in range(1, hessiansamples + 1):
            ex = self.data[di + i - 1]
            input, target = ex[0], ex[1]
            module.updateOutput(input, target)
            dx.zero()
            module.updateGradInput(input, target)
            module.accGradParameters(input, target)
            ddx.zero()
            module.updateDiagHessianInput(input, target)
            module.accDiagHessianParameters(input, target)
            if ddx.min() < 0:
                raise TorchRuntimeError("Negative ddx")
            ddeltax.add(knew, ddx)
        self.printer("ddeltax : min/max = %s/%s" % (_num(ddeltax.min()), _num(ddeltax.max())))
        np.clip(ddeltax._a, minhessian, maxhessian, out=ddeltax._a)
        self.printer("ddeltax : min/max = %s/%s" % (_num(ddeltax.min()), _num(ddeltax.max())))
        ddx.copy(ddeltax)

    def trainSample(self, ex, eta):
        module = self.module
        x, dx, ddx = self.parameters
        input, target = ex[0], ex[1]
        res = module.updateOutput(input, target)
        res = list(res) if isinstance(res, tuple) else [res]
        dx.zero()
        module.updateGradInput(input, target)
        module.accGradParameters(input, target)
        if dx.max() > 100 or dx.min() < -100:
            self.printer("oops large dx %s %s" % (_num(dx.max()), _num(dx.min())))
        if np.isnan(dx._a).any():
            raise TorchRuntimeError("oops nan dx")
        if ddx is None:
            x.add(-eta, dx)
        else:
            x.addcdiv(-eta, dx, ddx)
        if np.isnan(x._a).any():
            raise TorchRuntimeError("oops nan x")
        module.normalize()
        if np.isnan(x._a).any():
            raise TorchRuntimeError("oops nan x norm")
        return res


def _num(v):
    """A number as Lua's tostring writes it (integers without a decimal point, %.14g)."""
    v = float(v)
    return "%d" % v if v == int(v) and abs(v) < 1e15 else "%.14g" % v
