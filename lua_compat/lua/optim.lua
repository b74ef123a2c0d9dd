-- require 'optim': pytorch_lite.optim's functions; config/state stay Lua tables (updated in place)
local B, hidden = ...
optim = rawget(_G, 'optim') or {}
-- optim.ConfusionMatrix (1-based labels, see nn_kinds.METHODS) and optim.Logger: Python classes
local classes = hidden.namespace('optim')
optim.ConfusionMatrix = classes.ConfusionMatrix
optim.Logger = classes.Logger
for _, name in ipairs({'sgd', 'asgd', 'nag', 'adagrad', 'adadelta', 'rmsprop', 'rprop', 'adam',
                       'adamax', 'cg', 'lbfgs', 'cmaes', 'de'}) do
   optim[name] = function(opfunc, x, config, state, ...) return B.optim(name, opfunc, x, config, state, ...) end
end
optim.lswolfe = function(...) return B.optim_plain('lswolfe', ...) end
optim.polyinterp = function(...) return B.optim_plain('polyinterp', ...) end
optim.checkgrad = function(...) return B.optim_plain('checkgrad', ...) end
-- optim.FistaLS(f, g, pl, xinit, params): Lua closures, params updated in place (packages/optim.py)
optim.FistaLS = B.packages.optim.FistaLS
return optim
