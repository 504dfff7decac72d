/* battrace.c: the `battrace` command: dispatches to the subcommands. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

#define BATTRACE_VERSION "0.1.0"

static const char usage[] =
    "usage: battrace COMMAND [options]\n"
    "\n"
    "Fast evaluation of arc-dsl programs on ARC tasks.\n"
    "\n"
    "commands:\n"
    "  run       run programs on samples with the sequential interpreter;\n"
    "            --json writes the oracle's rows (pyref.py)\n"
    "  record    run in tracing mode and write a trace of every call graph\n"
    "  replay    execute a trace's work with the scheduler (grouped, deduplicated)\n"
    "  inspect   summarise a trace; its rows (--rows), a JSON export (--json),\n"
    "            a Graphviz drawing of one sample (--dot)\n"
    "  profile   per-primitive calls, self time, batch widths and the estimated\n"
    "            saving of batching (--json, --html)\n"
    "  help      this text; 'battrace COMMAND --help' for a command's options\n"
    "  version   print the version\n";

typedef struct Command {
    const char *name;
    int (*fn)(int, char **);
} Command;

static const Command commands[] = {
    {"run", cmd_run},
    {"record", cmd_record},
    {"replay", cmd_replay},
    {"inspect", cmd_inspect},
    {"profile", cmd_profile},
};

/* What `make` built: the Makefile says -DBATTRACE_PGO for build/'s
 * profile-guided objects; benchmarks print it with their figures. */
#ifdef BATTRACE_PGO
#define BATTRACE_BUILD_KIND "profile-guided"
#else
#define BATTRACE_BUILD_KIND "plain"
#endif

int main(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    if (!strcmp(argv[1], "version") || !strcmp(argv[1], "--version")) {
        printf("battrace %s (%s build)\n", BATTRACE_VERSION, BATTRACE_BUILD_KIND);
        return EXIT_OK;
    }
    for (size_t k = 0; k < sizeof commands / sizeof *commands; k++)
        if (!strcmp(argv[1], commands[k].name))
            return commands[k].fn(argc - 1, argv + 1);
    fprintf(stderr, "battrace: unknown command '%s'\n", argv[1]);
    fputs(usage, stderr);
    return EXIT_USAGE;
}
