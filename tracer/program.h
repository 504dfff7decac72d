/* program.h: programs as the parser leaves them, ready to interpret.
 *
 * Two source shapes (SPEC section 2) parse to the same straight-line form:
 *   solver files: `def solve_<task>(I):` / `def verify_<task>(I):` functions,
 *                 each a list of `NAME = CALLEE(ARG, ...)` and `return NAME`;
 *   batt files:   one `def batt(task_id, S, I, C, log_path):` whose statements
 *                 are guarded by try/except, plus o.append / s.append items.
 * Names are resolved at parse time: every variable is a numbered slot,
 * every constant is a Value, every primitive a table row. Anything outside
 * the subset is rejected with `file:line:col: message`. */
#ifndef BATTRACE_PROGRAM_H
#define BATTRACE_PROGRAM_H

#include <stddef.h>
#include <stdint.h>

#include "../ops/ops.h"
#include "../runtime/arena.h"
#include "../runtime/value.h"

#define PROGRAM_MAX_ARGS 8

typedef enum ArgKind {
    ARG_VAR,    /* an earlier variable: slot */
    ARG_INPUT,  /* a parameter: which (INPUT_I, INPUT_S, INPUT_C, INPUT_TASK_ID, INPUT_LOG_PATH) */
    ARG_CONST,  /* a constant from constants.py, or a literal in an append tuple: value */
    ARG_PRIM,   /* a primitive named as a value: prim */
} ArgKind;

typedef enum InputId { INPUT_I, INPUT_S, INPUT_C, INPUT_TASK_ID, INPUT_LOG_PATH } InputId;

/* A call's frame: every value its statements read, by index. The
 * parameters first (FRAME_INPUTS, by InputId), then the program's variables
 * (nslots), then its pool (its constants and the primitives it names,
 * callees included). A statement with at most STMT_FAST_ARGS arguments
 * keeps their frame indices inline (Stmt.at), so the interpreter loads each
 * one with no branch on its kind and no visit to the Arg; a switch on the
 * kinds, and the loop over a varying count, mispredicted a branch or two per
 * statement. */
#define FRAME_INPUTS 5
#define STMT_FAST_ARGS 4

typedef struct Arg {
    uint8_t kind;      /* ArgKind */
    int32_t slot;      /* ARG_VAR: variable slot; ARG_INPUT: InputId */
    const Prim *prim;  /* ARG_PRIM */
    Value value;       /* ARG_CONST */
    int line, col;     /* where the argument stands, for messages */
} Arg;

typedef enum StmtKind {
    ST_CALL,      /* target = callee(args...) */
    ST_APPEND_O,  /* o.append((items...)) */
    ST_APPEND_S,  /* s.append((items...)) */
} StmtKind;

typedef struct Stmt {
    /* Small fields first: a statement is one 64-byte cache line, its
     * arguments elsewhere. With the arguments inline (8 of 40 bytes) a
     * statement took 368, and the interpreter's walk over a batt's 2182
     * statements (twice a sample) missed the cache on nearly every one. */
    uint8_t kind;         /* StmtKind */
    uint8_t nargs;
    /* batt guard: the statement sits in try: ... except ...: target = _get_safe_default(CALLEE) */
    uint8_t guarded;
    uint8_t catch_all;          /* except Exception (or BaseException) */
    uint8_t ncatch;
    uint8_t fast;         /* at[0 .. nargs) are set (see FRAME_INPUTS), and callee_at for ST_CALL */
    uint8_t flagless;     /* ST_APPEND_*: a constant item (a str, a bool, None) makes the
                             tuple one of no Seq flags, never a pair or cell */
    int32_t target;       /* ST_CALL: slot assigned */
    /* ST_CALL callee: a primitive, or a variable slot holding a function */
    int32_t callee_slot;       /* the slot (or -1 - InputId for an input) when no primitive */
    const Prim *callee_prim;   /* non-NULL for a primitive callee */
    const Arg *args;           /* nargs call arguments, or append tuple items (the file's arena) */
    const char **catch_names;  /* except (A, B, ...): the class names */
    int line, col;        /* of the statement's first token */
    uint16_t callee_at;   /* when fast: the callee's frame index */
    uint16_t at[STMT_FAST_ARGS]; /* when fast: each argument's; unused ones 0 */
} Stmt;

_Static_assert(sizeof(Stmt) <= 64, "a statement fits one cache line");

typedef enum ProgramKind { PROG_SOLVER, PROG_BATT } ProgramKind;

typedef struct Program {
    char *name;        /* function name, e.g. "solve_00d62c1b" or "batt" */
    char *task;        /* the task id after solve_/verify_; "" for batt */
    uint8_t kind;      /* ProgramKind */
    int line;          /* of the def */
    Stmt *stmts;
    size_t nstmts;
    int32_t nslots;    /* variables */
    char **slot_names; /* slot -> source name */
    int32_t ret_slot;  /* solver: slot returned */
    Value *pool;       /* the frame's constants and primitives (see FRAME_INPUTS) */
    int32_t npool;
} Program;

/* Frame indices. */
static inline int32_t frame_slot(int32_t slot) { return FRAME_INPUTS + slot; }
static inline int32_t frame_pool(const Program *p) { return FRAME_INPUTS + p->nslots; }
static inline int32_t frame_size(const Program *p) { return FRAME_INPUTS + p->nslots + p->npool; }

typedef struct ProgramFile {
    char *path;
    Program *programs;  /* in file order */
    size_t nprograms;
    int is_batt;        /* the file defines batt() */
    Arena arena;        /* everything above lives here */
} ProgramFile;

/* Parse a program file. On success returns 0 and fills *out. On a rejection
 * returns 2 and writes `path:line:col: message` into err (no partial result
 * leaks: *out is left empty). I/O failure also returns 2 with a message. */
int program_load(const char *path, ProgramFile *out, char *err, size_t errlen);
/* Same, from a string in memory (path only names it in messages). */
int program_parse(const char *path, const char *source, ProgramFile *out, char *err, size_t errlen);
void program_free(ProgramFile *pf);

#endif
