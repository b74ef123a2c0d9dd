"""torch.CmdLine from Lua as Torch7's (doc/cmdline.md): options keep their dashes in the help and
lose them in params, positional arguments, the help layout, string() for experiment names, log()
teeing print into a file, the errors that print the help and exit."""
import io

import pytest

from lua_compat import Runtime, LuaExit

DECLARE = """
cmd = torch.CmdLine()
cmd:text()
cmd:text('Training a simple network')
cmd:text('Options')
cmd:option('-seed', 123, 'initial random seed')
cmd:option('-booloption', false, 'boolean option')
cmd:option('-stroption', 'mystring', 'string option')
cmd:argument('-input', 'the input file')
"""


@pytest.fixture
def rt():
    return Runtime(stdout=io.StringIO(), stderr=io.StringIO())


def test_help_layout(rt):
    rt.execute(DECLARE + "cmd:help({[0] = 'prog.lua'})")
    assert rt._stdout.getvalue() == (
        "Usage: prog.lua [options] <input>\n"
        "\n"
        "Training a simple network\n"
        "Options\n"
        "  -seed       initial random seed [123]\n"
        "  -booloption boolean option [false]\n"
        "  -stroption  string option [mystring]\n"
        "  <input>     the input file\n")


def test_parse_and_string(rt):
    r = rt.execute(DECLARE + """
    local p = cmd:parse({'-seed', '456', 'data.txt', '-booloption'})
    local d = cmd:default()
    return p.seed, p.booloption, p.input, p.stroption, d.seed, cmd:string('exp', p, {}),
           cmd:string('exp', p, {seed = true}), cmd:string('exp', cmd:parse({'x'}), {input = true})
    """)
    assert r == (456, True, "data.txt", "mystring", 123, "exp,input=data.txt,booloption=t,seed=456",
                 "exp,input=data.txt,booloption=t", "exp")
    assert "-- ignore option seed" in rt._stdout.getvalue()


@pytest.mark.parametrize("args,message", [
    ("{'-seed', 'abc', 'f'}", "invalid type for option -seed (should be number)"),
    ("{'f', 'g'}", "invalid argument: g"),
    ("{}", "not enough arguments"),
    ("{'f', '-seed'}", "missing argument for option -seed"),
])
def test_errors_print_the_help_and_exit(rt, args, message):
    with pytest.raises(LuaExit) as e:
        rt.execute(DECLARE + "cmd:parse(%s)" % args)
    assert e.value.code == 1
    assert message in rt._stderr.getvalue()
    assert "Usage: [options] <input>" in rt._stdout.getvalue()


def test_declaration_errors(rt):
    a, b = rt.execute("""
    local c = torch.CmdLine()
    return select(2, pcall(c.option, c, '-x')), select(2, pcall(c.option, c, '-y', 1, 'h', 'string'))
    """)
    assert "option -x has no default value" in a and "option -y has wrong default type value" in b


def test_log_tees_print_into_the_file(rt, tmp_path):
    path = str(tmp_path / "log")
    rt.execute(DECLARE + """
    local saved = print
    cmd:log(..., {seed = 7})
    print('hello', 3)
    print = saved
    """, path)
    text = open(path).read().splitlines()
    assert text[0].startswith("[program started on ") and text[1] == "[command line arguments] "
    assert text[2:] == ["seed 7 ", "[----------------------] ", "hello 3 "]
    assert "hello\t3" in rt._stdout.getvalue()
