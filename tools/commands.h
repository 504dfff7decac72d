/* commands.h: the battrace subcommands, each in its own tools/cmd_*.c. */
#ifndef BATTRACE_COMMANDS_H
#define BATTRACE_COMMANDS_H

int cmd_run(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_profile(int argc, char **argv);

#endif
