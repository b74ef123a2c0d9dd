"""The sparse-coding inference FistaL1 and LinearFistaL1 share: the code minimising
``F(D(code), input) + lambda * |code|_1`` found by optim.FistaLS, started from ``self.code``.

``f`` is the smooth reconstruction cost (scaled by ``_fscale``: FistaL1 halves its cost,
LinearFistaL1 does not), ``g`` the L1 term and ``pl`` its proximal step (soft shrinkage)."""
from ..optim.fista import FistaLS
from ..serialization.types import LuaFunction
from .util import shrinkage

FISTA_DEFAULTS = (("L", 0.1), ("Lstep", 1.5), ("maxiter", 50), ("maxline", 20), ("errthres", 1e-4))


def fista_params(params):
    """params (the same dict, so a caller's table keeps FistaLS's state) with FistaLS's defaults;
    doFistaUpdate is always switched on, as unsup does."""
    params = {} if params is None else params
    for k, v in FISTA_DEFAULTS:
        if params.get(k) is None:
            params[k] = v
    params["doFistaUpdate"] = True
    return params


class FistaCode:
    _fscale = 1.0

    def __t7_read__(self, fields, version):
        # a Torch7 file holds unsup's closures f, g, pl as Lua bytecode (read only when functions
        # are allowed); the methods here compute them, so the blobs are dropped
        fields = {k: v for k, v in dict(fields).items()
                  if not (k in ("f", "g", "pl") and isinstance(v, LuaFunction))}
        super().__t7_read__(fields, version)

    def f(self, x, mode=None):
        rec = self.D.updateOutput(x)
        fval = self.Fcost.updateOutput(rec, self.input) * self._fscale
        if mode is not None and "dx" in mode:
            gradr = self.Fcost.updateGradInput(rec, self.input)
            if self._fscale != 1:
                gradr.mul(self._fscale)
            return fval, self.D.updateGradInput(x, gradr)
        return fval

    def g(self, x, mode=None):
        lam = self.__dict__["lambda"]
        fval = lam * self.Gcost.updateOutput(x)
        if mode is not None and "dx" in mode:
            return fval, self.Gcost.updateGradInput(x).mul(lam)
        return fval

    def pl(self, x, L):
        shrinkage(x, self.__dict__["lambda"] / L)

    def _solve(self, relax):
        """FISTA from the current code; when no line search raised L, relax(L) replaces it (a
        longer first step next time). Returns (final energy, FistaLS's history)."""
        params = self.params
        oldL = params["L"]
        _, history = FistaLS(self.f, self.g, self.pl, self.code, params)
        if oldL == params["L"]:
            params["L"] = relax(params["L"])
        return history[-1]["F"], history

    def updateGradInput(self, input, gradOutput=None):
        # gradInput is nil unless a script sets a tensor: d(energy)/d(code) at the current code
        if self.gradInput is not None:
            _, gradf = self.f(self.code, "dx")
            _, gradg = self.g(self.code, "dx")
            self.gradInput.resizeAs(gradf).copy(gradf).add(gradg)
        return self.gradInput

    def parameters(self):
        return self.D.parameters()

    def zeroGradParameters(self):
        self.D.zeroGradParameters()
