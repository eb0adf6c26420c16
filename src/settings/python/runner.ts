// The Python program that evaluates a `sentry.conf.py` for sentryctl, kept as a string so it
// ships inside the binary. It runs under the user's `python3` (3.8+), reads one JSON request on
// stdin ({path, defaults, extras, devservices, marker}), installs stand-in `sentry`, `sentry.conf.server` and
// `sentry.utils.types` modules built from that data, executes the file the way Sentry's importer
// does (a fresh namespace, `__file__` set), and writes one JSON answer on stdout: the UPPERCASE
// names whose value differs from sentryctl's defaults (the stand-in's extras, which sentryctl
// has no default for, always count), names that are not plain data (skipped), or the error with
// its line in the file, after a line holding the request's random marker. The file's own prints
// go to stderr.
//
// Behaviour follows Sentry: `env()` of `sentry.conf.server` (a cache, `SENTRY_RUNNING_UWSGI`
// pops, the type taken from the default), the option types of `sentry.utils.types`, and the
// importer's `add_settings` rules (only `name.isupper()`, a str INSTALLED_APPS/TEMPLATE_DIRS
// becomes a 1-tuple; `EXTRA_<NAME>` is returned as is and appended by the TS overlay).

/** The names server.py imports from `typing` (getsentry/sentry src/sentry/conf/server.py). */
export const SERVER_TYPING_NAMES = [
  "Any",
  "Callable",
  "Dict",
  "Mapping",
  "MutableSequence",
  "Optional",
  "Tuple",
  "TypeVar",
  "overload",
] as const;

/** Module-scope names of server.py that are not settings (modules, helpers); tested in Python. */
export const SERVER_MODULE_NAMES = [
  "os",
  "platform",
  "random",
  "re",
  "socket",
  "sys",
  "tempfile",
  "json",
  "datetime",
  "timedelta",
  "urlparse",
  "T",
  "gettext_noop",
  "env",
  "type_from_value",
] as const;

export const PYTHON_RUNNER = String.raw`
import json, math, os, sys, traceback, types as _pytypes

_request = json.loads(sys.stdin.read())
_path = _request["path"]
_real_stdout = sys.stdout
sys.stdout = sys.stderr


class _NotPlain(Exception):
    pass


def _plain(value, depth=0):
    if depth > 64:
        raise _NotPlain("nested more than 64 levels deep")
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _NotPlain("a float that is not finite")
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(item, depth + 1) for item in value]
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if isinstance(key, str):
                name = key
            elif isinstance(key, bool) or key is None:
                name = json.dumps(key)
            elif isinstance(key, (int, float)):
                name = json.dumps(key)
            else:
                raise _NotPlain("a dict with a %s key" % type(key).__name__)
            out[name] = _plain(item, depth + 1)
        return out
    raise _NotPlain("a %s" % type(value).__name__)


# --- sentry.utils.types (Sentry's option types) ---------------------------------------------

def _safe_load(text):
    try:
        import yaml
    except ImportError:
        yaml = None
    try:
        if yaml is not None:
            return yaml.safe_load(text)
        return json.loads(text)
    except Exception:
        return None


class InvalidTypeError(TypeError):
    pass


class Type:
    name = ""
    default = None
    expected_types = ()
    compatible_types = (str,)

    def __call__(self, value=None):
        if value is None:
            return self._default()
        if self.test(value):
            return value
        if isinstance(value, self.compatible_types):
            converted = self.convert(value)
            if self.test(converted):
                return converted
        raise InvalidTypeError("%r is not a valid %r" % (value, self))

    def convert(self, value):
        return value

    def _default(self):
        return self.default

    def test(self, value):
        return isinstance(value, self.expected_types)

    def __repr__(self):
        return self.name


class AnyType(Type):
    name = "any"
    expected_types = (object,)


class BoolType(Type):
    name = "boolean"
    default = False
    expected_types = (bool,)
    compatible_types = (str, int)

    def convert(self, value):
        if isinstance(value, int):
            return bool(value)
        word = value.lower()
        if word in ("y", "yes", "t", "true", "1", "on"):
            return True
        if word in ("n", "no", "f", "false", "0", "off"):
            return False


class IntType(Type):
    name = "integer"
    default = 0
    expected_types = (int,)

    def convert(self, value):
        try:
            return int(value)
        except ValueError:
            return None


class FloatType(Type):
    name = "float"
    default = 0.0
    expected_types = (float,)
    compatible_types = (str, int, float)

    def convert(self, value):
        try:
            return float(value)
        except ValueError:
            return None


class StringType(Type):
    name = "string"
    default = ""
    expected_types = (str,)


class DictType(Type):
    name = "dictionary"
    expected_types = (dict,)

    def _default(self):
        return {}

    def convert(self, value):
        return _safe_load(value)


class SequenceType(Type):
    name = "sequence"
    expected_types = (list, tuple)

    def _default(self):
        return []

    def convert(self, value):
        loaded = _safe_load(value)
        return tuple(loaded) if isinstance(loaded, list) else loaded


Any, Bool, Int, Float, String = AnyType(), BoolType(), IntType(), FloatType(), StringType()
Dict, Sequence = DictType(), SequenceType()
_TYPE_OF = {bool: Bool, int: Int, float: Float, bytes: String, str: String,
            dict: Dict, list: Sequence, tuple: Sequence}


def type_from_value(value):
    return _TYPE_OF[type(value)]


# --- sentry.conf.server (sentryctl's defaults as plain data, and env()) ----------------------

_env_cache = {}


def env(key, default="", type=None):
    try:
        value = _env_cache[key]
    except KeyError:
        read = os.environ.pop if "SENTRY_RUNNING_UWSGI" in os.environ else os.environ.__getitem__
        try:
            value = read(key)
            _env_cache[key] = value
        except KeyError:
            value = default
    if type is None:
        type = type_from_value(default)
    return type(value)


def _module(name, package=False, **attrs):
    module = _pytypes.ModuleType(name)
    if package:
        module.__path__ = []
    module.__dict__.update(attrs)
    sys.modules[name] = module
    return module


_defaults_text = json.dumps(_request["defaults"])
_services_text = json.dumps(_request["devservices"])
def gettext_noop(s):
    return s


def _server_module_names():
    # Sentry's server.py imports these at module scope, so its star import hands them to every
    # sentry.conf.py (self-hosted's annotates 'SENTRY_METRICS_OPTIONS: dict[str, Any]'): the
    # modules, the typing names, datetime/timedelta/urlparse, json, its TypeVar T and helpers.
    import datetime as _dt, platform, random, re, socket, tempfile, typing
    import os.path  # noqa: F401  (server.py imports it; os.path is then set)
    from urllib.parse import urlparse
    names = {name: getattr(typing, name) for name in SERVER_TYPING_NAMES}
    names.update({"os": os, "platform": platform, "random": random, "re": re, "socket": socket,
                  "sys": sys, "tempfile": tempfile, "json": json, "datetime": _dt.datetime,
                  "timedelta": _dt.timedelta, "urlparse": urlparse, "T": typing.TypeVar("T"),
                  "gettext_noop": gettext_noop, "env": env, "type_from_value": type_from_value})
    return names


SERVER_TYPING_NAMES = __SERVER_TYPING_NAMES__
_helpers = dict(_server_module_names(), DEAD=object())
_server = _module("sentry.conf.server", **_request.get("extras", {}), **json.loads(_defaults_text),
                  **_helpers)
_server.SENTRY_DEVSERVICES = json.loads(_services_text)
_types = _module("sentry.utils.types", Any=Any, Bool=Bool, Int=Int, Float=Float, String=String,
                 Dict=Dict, Sequence=Sequence, InvalidTypeError=InvalidTypeError,
                 Type=Type, type_from_value=type_from_value)
_utils = _module("sentry.utils", package=True, types=_types)
_conf = _module("sentry.conf", package=True, server=_server)
_module("sentry", package=True, conf=_conf, utils=_utils)


# --- evaluate and answer ---------------------------------------------------------------------

def _answer(payload):
    # After a marker line: anything the file wrote straight to file descriptor 1 comes before it.
    _real_stdout.flush()
    _real_stdout.write("\n" + _request["marker"] + "\n" + json.dumps(payload))
    _real_stdout.flush()


def _where(exc):
    line = col = None
    if isinstance(exc, SyntaxError) and exc.filename == _path:
        return exc.lineno, exc.offset
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == _path:
            line = frame.lineno
            col = getattr(frame, "colno", None)
            col = col + 1 if isinstance(col, int) else None
    return line, col


def _message(exc):
    if isinstance(exc, SyntaxError):
        return exc.msg or ""
    return str(exc)


def _diff_services(new, old):
    if not isinstance(new, dict):
        return new
    out = {}
    for name, spec in new.items():
        base = old.get(name)
        if not isinstance(spec, dict) or not isinstance(base, dict):
            if spec != base:
                out[name] = spec
            continue
        changed = {k: v for k, v in spec.items() if k not in base or base[k] != v}
        changed.update({k: None for k in base if k not in spec})
        if changed:
            out[name] = changed
    out.update({name: None for name in old if name not in new})
    return out


def _main():
    namespace = {"__file__": _path, "__name__": "sentry_config", "__builtins__": __builtins__}
    try:
        with open(_path, "rb") as handle:
            source = handle.read()
    except OSError as exc:
        _answer({"error": {"type": "IOError", "message": "Unable to load configuration file (%s)"
                           % (exc.strerror or exc), "line": None, "col": None}})
        return
    try:
        exec(compile(source, _path, "exec"), namespace)
    except BaseException as exc:
        line, col = _where(exc)
        _answer({"error": {"type": type(exc).__name__, "message": _message(exc),
                           "line": line, "col": col}})
        return
    pristine = json.loads(_defaults_text)
    pristine["SENTRY_DEVSERVICES"] = json.loads(_services_text)
    settings, skipped = {}, []
    for name, value in namespace.items():
        if not name.isupper():
            continue
        if name in _helpers and _helpers[name] is value:
            continue
        if name in ("INSTALLED_APPS", "TEMPLATE_DIRS") and isinstance(value, str):
            value = (value,)
        try:
            plain = _plain(value)
        except (_NotPlain, RecursionError) as exc:
            skipped.append({"name": name, "reason": str(exc) or "nested too deeply"})
            continue
        if name in pristine and json.dumps(plain, sort_keys=True) == json.dumps(
                pristine[name], sort_keys=True):
            continue
        if name == "SENTRY_DEVSERVICES":
            plain = _diff_services(plain, pristine[name])
        settings[name] = plain
    _answer({"settings": settings, "skipped": skipped})


_main()
`.replace("__SERVER_TYPING_NAMES__", JSON.stringify(SERVER_TYPING_NAMES));
