/* err.c: names and the class hierarchy of the error classes. */
#include "err.h"
#include <string.h>

static const char *const names[ERR__COUNT] = {
    [ERR_OK] = "OK",
    [ERR_TYPE] = "TypeError",
    [ERR_VALUE] = "ValueError",
    [ERR_INDEX] = "IndexError",
    [ERR_KEY] = "KeyError",
    [ERR_ZERODIV] = "ZeroDivisionError",
    [ERR_STOPITER] = "StopIteration",
    [ERR_RUNTIME] = "RuntimeError",
    [ERR_RECURSION] = "RecursionError",
    [ERR_ATTRIBUTE] = "AttributeError",
    [ERR_MEMORY] = "MemoryError",
    [ERR_TIMEOUT] = "TimeoutError",
    [ERR_OVERFLOW] = "OverflowError",
    [ERR_UNSUPPORTED] = "NotImplementedError",
};

/* Python's base class of each class, below Exception. */
static const char *const parents[ERR__COUNT] = {
    [ERR_INDEX] = "LookupError",
    [ERR_KEY] = "LookupError",
    [ERR_ZERODIV] = "ArithmeticError",
    [ERR_OVERFLOW] = "ArithmeticError",
    [ERR_RECURSION] = "RuntimeError",
    [ERR_TIMEOUT] = "OSError",
    [ERR_UNSUPPORTED] = "RuntimeError",
};

const char *err_name(Err e)
{
    return (e >= 0 && e < ERR__COUNT) ? names[e] : "UnknownError";
}

Err err_from_name(const char *name)
{
    for (int e = 1; e < ERR__COUNT; e++)
        if (strcmp(names[e], name) == 0)
            return (Err)e;
    return ERR__COUNT;
}

int err_caught_by(Err e, const char *class_name)
{
    if (!err_is_builtin_class(class_name, strlen(class_name)))
        return -1;
    if (strcmp(class_name, "Exception") == 0 || strcmp(class_name, "BaseException") == 0)
        return 1;
    /* walk up: the class itself, its parent, its parent's parent */
    const char *cls = err_name(e);
    for (int hops = 0; cls && hops < 3; hops++) {
        if (strcmp(cls, class_name) == 0)
            return 1;
        Err as = err_from_name(cls);
        cls = as < ERR__COUNT ? parents[as] : NULL;
    }
    return 0;
}

/* dir(builtins) of Python 3.11, the classes deriving from BaseException. */
static const char *const builtin_classes[] = {
    "ArithmeticError", "AssertionError", "AttributeError", "BaseException", "BaseExceptionGroup",
    "BlockingIOError", "BrokenPipeError", "BufferError", "BytesWarning", "ChildProcessError",
    "ConnectionAbortedError", "ConnectionError", "ConnectionRefusedError", "ConnectionResetError",
    "DeprecationWarning", "EOFError", "EncodingWarning", "EnvironmentError", "Exception", "ExceptionGroup",
    "FileExistsError", "FileNotFoundError", "FloatingPointError", "FutureWarning", "GeneratorExit", "IOError",
    "ImportError", "ImportWarning", "IndentationError", "IndexError", "InterruptedError", "IsADirectoryError",
    "KeyError", "KeyboardInterrupt", "LookupError", "MemoryError", "ModuleNotFoundError", "NameError",
    "NotADirectoryError", "NotImplementedError", "OSError", "OverflowError", "PendingDeprecationWarning",
    "PermissionError", "ProcessLookupError", "RecursionError", "ReferenceError", "ResourceWarning",
    "RuntimeError", "RuntimeWarning", "StopAsyncIteration", "StopIteration", "SyntaxError", "SyntaxWarning",
    "SystemError", "SystemExit", "TabError", "TimeoutError", "TypeError", "UnboundLocalError",
    "UnicodeDecodeError", "UnicodeEncodeError", "UnicodeError", "UnicodeTranslateError", "UnicodeWarning",
    "UserWarning", "ValueError", "Warning", "ZeroDivisionError",
};

bool err_is_builtin_class(const char *name, size_t len)
{
    for (size_t k = 0; k < sizeof builtin_classes / sizeof *builtin_classes; k++)
        if (strlen(builtin_classes[k]) == len && memcmp(builtin_classes[k], name, len) == 0)
            return true;
    return false;
}
