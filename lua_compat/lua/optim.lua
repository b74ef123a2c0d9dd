-- require 'optim': pytorch_lite.optim's functions; config/state stay Lua tables (updated in place)
local B = ...
optim = rawget(_G, 'optim') or {}
for _, name in ipairs({'sgd', 'asgd', 'nag', 'adagrad', 'adadelta', 'rmsprop', 'rprop', 'adam',
                       'adamax', 'cg', 'lbfgs'}) do
   optim[name] = function(opfunc, x, config, state, ...) return B.optim(name, opfunc, x, config, state, ...) end
end
optim.lswolfe = function(...) return B.optim_plain('lswolfe', ...) end
optim.polyinterp = function(...) return B.optim_plain('polyinterp', ...) end
return optim
