"""Small helpers shared by the optim algorithms (Torch7's ``config or {}`` / ``state or config``)."""
import math



def tables(config, state):
    """Torch7's prologue: ``config = config or {}; state = state or config``.

    An empty dict is a table, and tables are true in Lua, so only None falls back."""
    if config is None:
        config = {}
    if state is None:
        state = config
    return config, state


def evaluate(opfunc, x, wd):
    """``fx, dfdx = opfunc(x)``, then weight decay as Torch7 applies it: ``dfdx:add(wd, x)`` in
    place when wd is not 0."""
    fx, dfdx = opfunc(x)
    if wd != 0:
        dfdx.add(wd, x)
    return fx, dfdx


def zero_buffers(state, x, size, *names):
    """``state.name = state.name or x.new(size):zero()`` for each name, in order."""
    for name in names:
        if state.get(name) is None:
            state[name] = x.new(size).zero()


def buffer_like(x, like):
    """``torch.Tensor():typeAs(x):resizeAs(like)``: a new tensor of x's type, like's size."""
    return x.new().resizeAs(like)


def fdiv(a, b):
    """a / b with IEEE results (inf, nan) where Python would raise, as Lua numbers behave."""
    try:
        return a / b
    except ZeroDivisionError:
        if a != a or a == 0:
            return -math.nan   # 0/0 on x86 is the default NaN, whose sign bit is set
        return math.copysign(float('inf'), a) * math.copysign(1.0, b)


def fsqrt(a):
    """math.sqrt with C's nan for a negative argument (Lua's math.sqrt / torch.sqrt on numbers)."""
    return math.sqrt(a) if a >= 0 else float('nan')


def lua_number(v):
    """Lua's tostring for a number (%.14g, so integral values print without a decimal point;
    glibc's 'nan'/'-nan' and 'inf'/'-inf')."""
    v = float(v)
    if v != v:
        return '-nan' if math.copysign(1, v) < 0 else 'nan'
    if math.isinf(v):
        return 'inf' if v > 0 else '-inf'
    return '%.14g' % v


def lua_print(*args):
    """Lua's print: the values' tostring, tab separated (numbers as Lua writes them)."""
    print(*[lua_number(a) if isinstance(a, (int, float)) and not isinstance(a, bool) else a
            for a in args], sep='\t')


def verbose_printer(enabled, tag):
    """Torch7's ``verbose(...)``: print the tag and the values, tab separated."""
    if not enabled:
        return lambda *args: None
    return lambda *args: print(tag, *args, sep='\t')
