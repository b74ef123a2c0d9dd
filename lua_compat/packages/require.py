"""Where `require` looks beyond lua_compat/lua: the system's Lua folders holding penlight (the
Debian package lua-penlight puts it in /usr/share/lua/5.1); LUA_COMPAT_LUA_DIRS (':'-separated)
adds folders of plain Lua modules first."""
import os

SYSTEM_DIRS = ("/usr/local/share/lua/5.1", "/usr/share/lua/5.1")


def lua_dirs():
    extra = [d for d in os.environ.get("LUA_COMPAT_LUA_DIRS", "").split(":") if d]
    return [d for d in extra + list(SYSTEM_DIRS)
            if os.path.isfile(os.path.join(d, "pl", "init.lua")) or d in extra]


def bridge(runtime):
    return dict(lua_dirs=lambda: runtime.lua.table_from(lua_dirs()))
